import { ClusterNode, parseWith, type PairPeers } from '@tandem/core';
import type { ConfigStore } from '../store/configStore.js';

/**
 * The pair as HAProxy's peers protocol sees it, from what this unit knows now: its own address
 * (the unicast source of its cluster settings) and the paired unit's name and address. Null
 * until both are there, or with the peers port off: stick tables then stay local.
 */
export function pairPeersOf(o: {
  unitName: string;
  port: number;
  store: Pick<ConfigStore, 'pairing' | 'clusterNode'>;
}): PairPeers | null {
  if (o.port === 0) return null;
  const p = o.store.pairing();
  if (!p || p.awaitingLog) return null;
  const node = parseWith(ClusterNode, o.store.clusterNode());
  if (!node.ok) return null;
  return {
    port: o.port,
    local: { name: o.unitName, address: node.value.unicastSource },
    remote: { name: p.unit, address: p.address },
  };
}
