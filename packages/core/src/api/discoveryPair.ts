import { z } from 'zod';
import { backendName } from '../model/proxyNames.js';
import type { DiscoveryStatus } from './discovery.js';

/**
 * What a unit tells its peer of its servers from DNS (issue 19): per discovered backend, the
 * name it follows and the members its own HAProxy holds. Each unit resolves on its own (ADR
 * 0022), so two units can see different members: the Cluster page shows whether they agree.
 */
export const DiscoveryReadiness = z
  .array(
    z.object({
      /** `service.backend`, as HAProxy names it. */
      backend: z.string().max(130),
      name: z.string().max(255),
      /** `address:port`, sorted. */
      members: z.array(z.string().max(300)).max(4096),
    }),
  )
  .max(1000);
export type DiscoveryReadiness = z.output<typeof DiscoveryReadiness>;

/** One unit's discovery, as it travels to the peer. */
export const discoveryReadiness = (status: readonly DiscoveryStatus[]): DiscoveryReadiness =>
  status.map((s) => ({
    backend: backendName(s.service, s.backend),
    name: s.name,
    members: s.members.map((m) => `${m.address}:${m.port}`).sort(),
  }));

const DiscoverySide = z.array(z.string());
/** One discovered backend with the members each unit of a pair holds (null: not discovered there). */
export const DiscoveryPair = z.object({
  backend: z.string(),
  name: z.string(),
  here: DiscoverySide.nullable(),
  peer: DiscoverySide.nullable(),
  same: z.boolean(),
});
export type DiscoveryPair = z.output<typeof DiscoveryPair>;

/** Both units' discovered members side by side, by backend. */
export function pairDiscovery(here: DiscoveryReadiness, peer: DiscoveryReadiness): DiscoveryPair[] {
  const backends = [...new Set([...here, ...peer].map((d) => d.backend))].sort();
  return backends.map((backend) => {
    const h = here.find((d) => d.backend === backend);
    const p = peer.find((d) => d.backend === backend);
    const same =
      h !== undefined &&
      p !== undefined &&
      h.name === p.name &&
      h.members.length === p.members.length &&
      h.members.every((m, i) => m === p.members[i]);
    return {
      backend,
      name: h?.name ?? p?.name ?? '',
      here: h?.members ?? null,
      peer: p?.members ?? null,
      same,
    };
  });
}
