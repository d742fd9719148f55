import {
  NodeSettingsRequest,
  PairRequest,
  ResolveRequest,
  TandemError,
  type ClusterStatus,
  type VrrpStatus,
} from '@tandem/core';
import { parse } from './routeParsing.js';
import { clusterNodes } from '../services/peering.js';
import type { Route } from './router.js';
import type { RouteDeps } from './routes.js';

/** VRRP state per instance, planned handover and resume; the unit's identity and its pairing. */
export function createClusterRoutes(
  d: Pick<RouteDeps, 'vrrp' | 'unitName' | 'peering' | 'nodeSettings' | 'confirmed'>,
): Route[] {
  const off: VrrpStatus = {
    enabled: false,
    unit: d.unitName,
    keepalived: { running: false, pid: null },
    ready: false,
    standby: false,
    splitBrain: false,
    peers: [],
    instances: [],
  };
  const vrrpOrThrow = () => {
    if (!d.vrrp)
      throw new TandemError('conflict', 'this unit runs no keepalived (no cluster settings)');
    return Promise.resolve(d.vrrp);
  };
  const peeringOrThrow = () => {
    if (!d.peering)
      throw new TandemError(
        'conflict',
        'the peer listener is off on this unit (TANDEM_PEER_PORT=0)',
      );
    return d.peering;
  };
  const status = async (vrrp?: Promise<VrrpStatus>): Promise<ClusterStatus> => ({
    ...((await vrrp) ?? d.vrrp?.status() ?? off),
    identity: d.peering?.identity() ?? null,
    pairing: d.peering?.replication.status() ?? null,
  });
  return [
    {
      method: 'GET',
      path: '/v1/cluster',
      summary:
        "This unit's VRRP state per instance, the last takeover with its measured gap, standby and split brain",
      handler: () => status(),
    },
    {
      method: 'POST',
      path: '/v1/cluster/handover',
      summary:
        "Planned maintenance: give this unit's VIPs to the peer and stay in standby until resume",
      handler: async () => status((await vrrpOrThrow()).handover()),
    },
    {
      method: 'POST',
      path: '/v1/cluster/resume',
      summary: 'Leave standby: the unit may be master again, per priority and preemption',
      handler: async () => status((await vrrpOrThrow()).resume()),
    },
    {
      method: 'GET',
      path: '/v1/cluster/nodes',
      summary:
        "Each unit's own cluster settings (interface, source, peers, priorities), its interfaces and a proposal",
      handler: () => clusterNodes(d.nodeSettings, d.peering),
    },
    {
      method: 'PUT',
      path: '/v1/cluster/nodes/:unit',
      summary:
        "Set this unit's or the paired peer's own cluster settings (checked against what that unit has; keepalived follows)",
      handler: ({ params, body, author, session }) =>
        d.confirmed.setNode({
          unit: params.unit ?? '',
          node: parse(NodeSettingsRequest, body).node,
          author,
          remote: session !== null,
        }),
    },
    {
      method: 'POST',
      path: '/v1/cluster/nodes/:unit/confirm',
      summary:
        "Confirm a unit's changed cluster settings: the console still reaches this unit (otherwise they are undone)",
      handler: ({ params, author }) => d.confirmed.confirm(`node:${params.unit ?? ''}`, author),
    },
    {
      method: 'POST',
      path: '/v1/cluster/pairing-code',
      summary:
        'Show a one-time pairing code (valid 10 minutes, once) to type on the unit that invites this one',
      handler: ({ author }) => peeringOrThrow().pairing.issueCode(author),
    },
    {
      method: 'POST',
      path: '/v1/cluster/pair',
      summary:
        "Pair with the unit at address that shows code: certificates pinned both ways, and it takes this unit's configuration",
      handler: async ({ body, author }) => {
        const p = peeringOrThrow();
        await p.pairing.pair(parse(PairRequest, body), author);
        await p.replication.syncNow();
        return status();
      },
    },
    {
      method: 'POST',
      path: '/v1/cluster/unpair',
      summary: 'Dissolve the pair on this unit and, when it answers, on the peer',
      handler: async ({ author }) => {
        const told = await peeringOrThrow().pairing.unpair(author);
        return { ...told, cluster: await status() };
      },
    },
    {
      method: 'POST',
      path: '/v1/cluster/resolve',
      summary:
        "After a partition: keep one unit's branch (keep: unit name); the other's changes since go to its archive",
      handler: async ({ body, author }) => {
        await peeringOrThrow().replication.resolve(parse(ResolveRequest, body).keep, author);
        return status();
      },
    },
    {
      method: 'POST',
      path: '/v1/cluster/sync',
      summary: 'Run a sync round with the peer now and answer the cluster status after it',
      handler: async () => {
        await peeringOrThrow().replication.syncNow();
        return status();
      },
    },
  ];
}
