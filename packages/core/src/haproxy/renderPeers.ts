import type { NodeSettings } from '../model/node.js';
import { formatEndpoint } from './format.js';
import { DirectiveList, type Section } from './ir.js';

/** The peers section's name: stick tables that name it are replicated between the pair. */
export const PAIR_PEERS = 'tandem-pair';

/**
 * The pair's `peers` section: both units, this one under its own name (HAProxy picks the local
 * peer by `localpeer` in global), so stickiness and counters learned on one unit are on the
 * other when it takes over. Nothing without a pair.
 */
export function renderPeers(node: NodeSettings): Section[] {
  const p = node.pair;
  if (!p) return [];
  const d = new DirectiveList('');
  // The same section on both units (by name): only `localpeer` in global tells them apart.
  for (const peer of [p.local, p.remote].sort((x, y) => x.name.localeCompare(y.name)))
    d.add(null, 'peer', peer.name, formatEndpoint(peer.address, p.port));
  return [
    {
      kind: 'peers',
      name: PAIR_PEERS,
      comments: ['the pair: stick tables replicated to the peer unit'],
      directives: d.list(),
      origin: '',
    },
  ];
}
