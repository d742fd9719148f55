import type { ApplianceConfig } from '../model/applianceConfig.js';
import type { ClusterNode } from '../model/cluster.js';

/**
 * What in a change could cut the operator off the unit they are working on (design rule 10):
 * an address they may be reaching it by goes away (a VIP removed or moved: the console listens
 * on every address, VIPs included), or the admin endpoint moves. Such a change, made from the
 * console, runs only if the console confirms it still reaches the unit; otherwise it is rolled
 * back. Empty: nothing to confirm.
 */
export function cutOffRisks(before: ApplianceConfig | null, after: ApplianceConfig): string[] {
  if (!before) return [];
  const vips = (c: ApplianceConfig) =>
    new Set(c.cluster.instances.flatMap((i) => i.vips.map((v) => v.address)));
  const kept = vips(after);
  const out = [...vips(before)].filter((a) => !kept.has(a)).map((a) => `VIP ${a} goes away`);
  const [b, a] = [before.global.admin, after.global.admin];
  if (b.enabled && (!a.enabled || a.address !== b.address || a.port !== b.port))
    out.push(
      `the admin endpoint moves from ${b.address}:${b.port} to ${a.enabled ? `${a.address}:${a.port}` : 'nowhere'}`,
    );
  return out;
}

/** The same for a unit's own cluster settings: keepalived moving to another interface or address. */
export function nodeCutOffRisks(before: ClusterNode | null, after: ClusterNode): string[] {
  if (!before) return [];
  const out: string[] = [];
  if (before.interface !== after.interface)
    out.push(`VRRP moves from ${before.interface} to ${after.interface}`);
  if (before.unicastSource !== after.unicastSource)
    out.push(`VRRP's source moves from ${before.unicastSource} to ${after.unicastSource}`);
  return out;
}
