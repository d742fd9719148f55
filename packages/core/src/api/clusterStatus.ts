import { z } from 'zod';
import { VRRP_STATES } from '../keepalived/vrrpNotify.js';
import { PeerStatus, UnitIdentityStatus } from './peer.js';

/** How a unit became master, and how long the service was away (ADR 0010). */
export const Takeover = z.object({
  at: z.number(),
  cause: z.enum(['peer-silent', 'peer-resigned', 'election', 'unknown']),
  /** From the peer's last advert (timeout) or its resignation to keepalived's decision. */
  detectMs: z.number().nullable(),
  /** From keepalived's decision to the first connection HAProxy accepted on the VIP (local probe). */
  serveMs: z.number().nullable(),
  /** detectMs + serveMs: "took over in". */
  gapMs: z.number().nullable(),
  probe: z.string().nullable(),
});
export type Takeover = z.output<typeof Takeover>;

export const ClusterInstanceStatus = z.object({
  name: z.string(),
  vrid: z.number().int(),
  state: z.enum([...VRRP_STATES, 'UNKNOWN']),
  priority: z.number().int().nullable(),
  since: z.number().nullable(),
  vips: z.array(z.string()),
  splitBrain: z.boolean(),
  lastTakeover: Takeover.nullable(),
});

/** What keepalived and the VRRP service know: the unit's part in failover. */
export const VrrpStatus = z.object({
  enabled: z.boolean(),
  unit: z.string(),
  keepalived: z.object({ running: z.boolean(), pid: z.number().int().nullable() }),
  /** HAProxy is up and the unit is not in standby: keepalived may make it master. */
  ready: z.boolean(),
  standby: z.boolean(),
  splitBrain: z.boolean(),
  /** The addresses this unit sends its VRRP adverts to (its cluster-node file). */
  peers: z.array(z.string()),
  instances: z.array(ClusterInstanceStatus),
});
export type VrrpStatus = z.output<typeof VrrpStatus>;

/** GET /v1/cluster: failover, the unit's identity and its pairing. */
export const ClusterStatus = VrrpStatus.extend({
  /** This unit's identity (null: the peer listener is off on this unit). */
  identity: UnitIdentityStatus.nullable(),
  /** The paired unit and the state of sync with it (null: not paired). */
  pairing: PeerStatus.nullable(),
});
export type ClusterStatus = z.output<typeof ClusterStatus>;
