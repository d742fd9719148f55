import type { ApplianceConfig } from '../model/applianceConfig.js';
import type { VrrpInstance } from '../model/cluster.js';

/**
 * VRRPv3 timers (RFC 5798 §6.1), in ms. A backup declares the master dead after
 * `3 × advert + skew`, where `skew = (256 − priority) × advert / 256`; a master that resigns
 * (priority 0 advert: fault, handover) is replaced after the skew alone.
 */
export function vrrpTimers(advertIntervalMs: number, priority: number) {
  const skewMs = ((256 - priority) * advertIntervalMs) / 256;
  return { skewMs, masterDownMs: 3 * advertIntervalMs + skewMs };
}

/** Where a unit's services listen on an instance's VIPs: what the failover probe connects to. */
export function vipEndpoints(
  config: ApplianceConfig,
  instance: VrrpInstance,
): { address: string; port: number }[] {
  const addressOf = new Map(instance.vips.map((v) => [v.name, v.address]));
  const out: { address: string; port: number }[] = [];
  for (const s of config.services)
    for (const b of s.binds) {
      const address = b.vip === undefined ? undefined : addressOf.get(b.vip);
      if (address !== undefined) out.push({ address, port: b.port });
    }
  return out;
}
