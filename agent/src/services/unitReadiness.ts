import {
  discoveryReadiness,
  type DiscoveryStatus,
  type StoredCertificate,
  type UnitReadiness,
  type VrrpStatus,
} from '@tandem/core';
import type { StatsSnapshot } from './statsSampler.js';

/**
 * What this unit tells its peer of its readiness to serve: its servers' health as its own
 * HAProxy sees it (the last sample), its VRRP state per instance, its identity's expiry, and
 * its certificates' fingerprints and expiry, and the members of its backends that follow DNS
 * (the Cluster page compares both with its own).
 */
export function unitReadiness(o: {
  snapshot: StatsSnapshot | null;
  vrrp: VrrpStatus | null;
  identityNotAfter: string;
  certificates: readonly StoredCertificate[];
  discovery: readonly DiscoveryStatus[];
}): UnitReadiness {
  const servers = { up: 0, down: 0, other: 0 };
  for (const e of o.snapshot?.entities ?? []) {
    if (e.type !== 'server') continue;
    if (e.state === 'UP') servers.up++;
    else if (e.state === 'DOWN') servers.down++;
    else servers.other++;
  }
  return {
    servers,
    vrrp: (o.vrrp?.instances ?? []).map((i) => ({ name: i.name, state: i.state })),
    identityNotAfter: o.identityNotAfter,
    certificates: o.certificates.map((c) => ({
      name: c.name,
      fingerprint: c.fingerprint,
      notAfter: c.notAfter,
    })),
    discovery: discoveryReadiness(o.discovery),
  };
}
