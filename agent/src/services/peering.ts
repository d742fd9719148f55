import type { Pairing } from './pairing.js';
import type { Replication } from './replication.js';

/** What the cluster routes ask of a unit that can pair: its identity, pairing and sync. */
export interface Peering {
  identity(): { fingerprint: string; shortFingerprint: string; notAfter: string };
  pairing: Pairing;
  replication: Replication;
}
