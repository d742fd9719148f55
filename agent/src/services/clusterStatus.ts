import type { ClusterNode, VrrpStatus, Takeover, VrrpInstance, VrrpState } from '@tandem/core';

/** What the VRRP service knows of one instance, from keepalived's notify FIFO. */
export interface InstanceState {
  state: VrrpState | 'UNKNOWN';
  priority: number | null;
  since: number | null;
  lastTakeover: Takeover | null;
}

/**
 * The answer of GET /v1/cluster, from what the VRRP service holds: the configured instances
 * (shared config), this unit's side (node file) and what keepalived last said of each.
 */
export function clusterStatus(s: {
  enabled: boolean;
  unit: string;
  keepalivedPid: number | null;
  ready: boolean;
  standby: boolean;
  splitBrain: readonly string[];
  node: ClusterNode | null;
  configured: readonly VrrpInstance[];
  instances: ReadonlyMap<string, InstanceState>;
}): VrrpStatus {
  return {
    enabled: s.enabled,
    unit: s.unit,
    keepalived: { running: s.keepalivedPid !== null, pid: s.keepalivedPid },
    ready: s.ready,
    standby: s.standby,
    splitBrain: s.splitBrain.length > 0,
    peers: s.node?.peers ?? [],
    instances: s.configured.map((i) => {
      const known = s.instances.get(i.name);
      return {
        name: i.name,
        vrid: i.vrid,
        state: known?.state ?? 'UNKNOWN',
        priority: known?.priority ?? s.node?.priorities[i.name] ?? null,
        since: known?.since ?? null,
        vips: i.vips.map((v) => `${v.address}/${v.prefixLength}`),
        splitBrain: s.splitBrain.includes(i.name),
        lastTakeover: known?.lastTakeover ?? null,
      };
    }),
  };
}
