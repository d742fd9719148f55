import type { ApplianceConfig } from '../model/applianceConfig.js';
import { certificatesOf } from '../model/bind.js';

/** Whether this unit issues and renews an ACME certificate, and if not, why. */
export type AcmeIssuer = { here: true } | { here: false; why: string };

/**
 * Which unit of a pair asks the CA for certificate `name` (issue 18, ADR 0021). The CA checks an
 * HTTP-01 challenge at the name's address, the service's VIP, so only the unit holding that VIP
 * sees the request, answered from its own HAProxy's challenge map: it issues, and the
 * certificate travels to the peer. A certificate no VIP-bound service uses is the business of
 * the unit that is master of any instance. A unit that is not paired, or runs no VRRP, issues
 * its own.
 */
export function acmeIssuer(o: {
  name: string;
  config: ApplianceConfig | null;
  /** This unit's VRRP state per instance. */
  vrrp: readonly { name: string; state: string }[];
  paired: boolean;
  peer: string;
}): AcmeIssuer {
  const instances = o.config?.cluster.instances ?? [];
  if (!o.paired || instances.length === 0) return { here: true };
  const master = new Set(o.vrrp.filter((v) => v.state === 'MASTER').map((v) => v.name));
  const instanceOfVip = new Map(
    instances.flatMap((i) => i.vips.map((v): [string, string] => [v.name, i.name])),
  );
  const vipInstances = [
    ...new Set(
      (o.config?.services ?? [])
        .filter((s) => certificatesOf(s.tls).includes(o.name))
        .flatMap((s) => s.binds.map((b) => (b.vip ? instanceOfVip.get(b.vip) : undefined)))
        .filter((i): i is string => i !== undefined),
    ),
  ].sort();
  if (vipInstances.length > 0)
    return vipInstances.some((i) => master.has(i))
      ? { here: true }
      : {
          here: false,
          why: `${o.peer} holds the VIP of instance ${vipInstances.join(', ')} that the CA checks ${o.name} at: it issues and renews it, and the certificate comes here`,
        };
  return master.size > 0
    ? { here: true }
    : {
        here: false,
        why: `this unit is the backup: ${o.peer}, the master, issues and renews ${o.name}, and the certificate comes here`,
      };
}
