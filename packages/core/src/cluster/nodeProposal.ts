import type { FieldError } from '../errors.js';
import { parseIp } from '../grammar/ip.js';
import type { ApplianceConfig } from '../model/applianceConfig.js';
import type { ClusterNode } from '../model/cluster.js';

/** An interface of a unit as the agent reads it from the host: name and addresses. */
export interface HostInterface {
  name: string;
  internal: boolean;
  addresses: { address: string; prefixLength: number }[];
}

/** The priorities proposed for a pair: the unit that invited is master by default. */
export const PROPOSED_PRIORITY = { inviter: 150, joiner: 100 } as const;

/** Whether `address` lies in the network of `own/prefixLength` (same family). */
export function sameNetwork(own: string, prefixLength: number, address: string): boolean {
  const a = parseIp(own);
  const b = parseIp(address);
  if (!a || !b || a.family !== b.family) return false;
  let bits = prefixLength;
  for (let i = 0; i < a.bytes.length && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((a.bytes[i] ?? 0) & mask) !== ((b.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

/**
 * This unit's side of the cluster as the console proposes it after pairing: the interface on
 * the peer's network, its address as the unicast source, the peer as the one unicast peer, and
 * a priority per instance (150 on the unit that invited, 100 on the one that joined). Null when
 * no interface reaches the peer: the operator chooses.
 */
export function proposeClusterNode(o: {
  interfaces: readonly HostInterface[];
  peerAddress: string;
  role: keyof typeof PROPOSED_PRIORITY;
  config: ApplianceConfig;
}): ClusterNode | null {
  for (const i of o.interfaces) {
    if (i.internal) continue;
    const own = i.addresses.find((a) => sameNetwork(a.address, a.prefixLength, o.peerAddress));
    if (!own) continue;
    return {
      interface: i.name,
      unicastSource: own.address,
      peers: [o.peerAddress],
      priorities: Object.fromEntries(
        o.config.cluster.instances.map((inst) => [inst.name, PROPOSED_PRIORITY[o.role]]),
      ),
    };
  }
  return null;
}

/**
 * Settings that could cut the operator off or cannot work, named by field: an interface the
 * unit does not have, a unicast source that is not one of its addresses, a VIP that is the
 * unit's own or its peer's address (keepalived would take it away on failover), a priority for
 * an instance that does not exist.
 */
export function clusterNodeProblems(
  node: ClusterNode,
  interfaces: readonly HostInterface[],
  config: ApplianceConfig,
): FieldError[] {
  const out: FieldError[] = [];
  const iface = interfaces.find((i) => i.name === node.interface);
  if (!iface)
    out.push({
      path: 'interface',
      message: `this unit has no interface ${node.interface} (it has ${interfaces.map((i) => i.name).join(', ')})`,
    });
  else if (!iface.addresses.some((a) => a.address === node.unicastSource))
    out.push({
      path: 'unicastSource',
      message: `must be an address of ${node.interface} (${iface.addresses.map((a) => a.address).join(', ') || 'none'})`,
    });
  out.push(...vipClashes(node, config).map((f) => ({ path: 'unicastSource', message: f.message })));
  const names = new Set(config.cluster.instances.map((i) => i.name));
  for (const name of Object.keys(node.priorities))
    if (!names.has(name))
      out.push({
        path: `priorities.${name}`,
        message: `no VRRP instance ${name} in the configuration`,
      });
  return out;
}

/**
 * VIPs that are a unit's own address (this unit's unicast source or its peer's): keepalived
 * would remove the address from the unit that loses the VIP, and the operator's access with
 * it. Checked when node settings change and before every apply (paths into the shared config).
 */
export function vipClashes(node: ClusterNode, config: ApplianceConfig): FieldError[] {
  const own = new Set([node.unicastSource, ...node.peers]);
  return config.cluster.instances.flatMap((inst, i) =>
    inst.vips.flatMap((v, j) =>
      own.has(v.address)
        ? [
            {
              path: `cluster.instances[${i}].vips[${j}].address`,
              message: `VIP ${v.address} of instance ${inst.name} is a unit's own address: failover would take it away (and your access with it)`,
            },
          ]
        : [],
    ),
  );
}
