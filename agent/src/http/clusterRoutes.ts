import { TandemError, type ClusterStatus } from '@tandem/core';
import type { Route } from './router.js';
import type { RouteDeps } from './routes.js';

/** VRRP state per instance, planned handover and resume. */
export function createClusterRoutes(d: Pick<RouteDeps, 'vrrp' | 'unitName'>): Route[] {
  const off: ClusterStatus = {
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
  return [
    {
      method: 'GET',
      path: '/v1/cluster',
      summary:
        "This unit's VRRP state per instance, the last takeover with its measured gap, standby and split brain",
      handler: () => d.vrrp?.status() ?? off,
    },
    {
      method: 'POST',
      path: '/v1/cluster/handover',
      summary:
        "Planned maintenance: give this unit's VIPs to the peer and stay in standby until resume",
      handler: async () => (await vrrpOrThrow()).handover(),
    },
    {
      method: 'POST',
      path: '/v1/cluster/resume',
      summary: 'Leave standby: the unit may be master again, per priority and preemption',
      handler: async () => (await vrrpOrThrow()).resume(),
    },
  ];
}
