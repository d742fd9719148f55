/** One runtime slot HAProxy filled from DNS: where it points, since when (GET /v1/discovery). */
export interface DiscoveredMember {
  slot: string;
  address: string;
  port: number;
  weight: number;
  /** Health: the slot's server is up (checks pass, or no checks). */
  up: boolean;
  /** Epoch ms when the agent first saw this member in the slot. */
  since: number;
}

/** A discovered backend as this unit sees it: HAProxy's slots and the name's last answer. */
export interface DiscoveryStatus {
  service: string;
  backend: string;
  name: string;
  type: 'A' | 'AAAA' | 'SRV';
  slots: number;
  members: DiscoveredMember[];
  /** The agent's own look at the name (the same name servers): how many answers, or why none. */
  answer: { at: number; count: number; error: string | null } | null;
}
