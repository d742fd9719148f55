import { NodeSettingsView, parseWith, TandemError, type ClusterNodes } from '@tandem/core';
import type { NodeSettings } from './nodeSettings.js';
import type { Pairing } from './pairing.js';
import type { Replication } from './replication.js';

/** What the cluster routes ask of a unit that can pair: its identity, pairing and sync. */
export interface Peering {
  identity(): { fingerprint: string; shortFingerprint: string; notAfter: string };
  pairing: Pairing;
  replication: Replication;
}

/**
 * Both units' own cluster settings, for the Cluster page: this unit's, and the paired peer's
 * read over the peer link (parsed: the peer is untrusted input), or why it could not be read.
 */
export async function clusterNodes(
  here: NodeSettings | null,
  peering: Peering | null,
): Promise<ClusterNodes> {
  const out: ClusterNodes = { here: here?.read() ?? null, peer: null, peerError: null };
  if (!peering?.replication.status()) return out;
  try {
    const r = parseWith(NodeSettingsView, await peering.replication.ask('GET', '/peer/v1/node'));
    if (!r.ok)
      throw new TandemError('peer_unavailable', 'the peer sent settings that are not ones');
    out.peer = r.value;
  } catch (e) {
    out.peerError = e instanceof Error ? e.message : String(e);
  }
  return out;
}

/**
 * Both units' own cluster settings, read and set from this unit: its own through its node
 * settings, the peer's over the peer link (the peer checks them against what it has).
 */
export function clusterNodeLink(
  unitName: string,
  here: NodeSettings | null,
  peering: Peering | null,
) {
  return {
    read: () => clusterNodes(here, peering),
    async set(unit: string, node: unknown, author: string): Promise<ClusterNodes> {
      if (unit === unitName) {
        if (!here) throw new TandemError('conflict', 'this unit runs no keepalived');
        await here.set(node, author);
      } else if (peering && peering.replication.status()?.unit === unit) {
        await peering.replication.ask('POST', '/peer/v1/node', { node, author });
      } else throw new TandemError('not_found', `no unit ${unit} in this cluster`);
      return clusterNodes(here, peering);
    },
  };
}
