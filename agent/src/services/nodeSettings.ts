import {
  ClusterNode,
  clusterNodeProblems,
  parseWith,
  proposeClusterNode,
  TandemError,
  type ApplianceConfig,
  type HostInterface,
} from '@tandem/core';
import type { ConfigStore } from '../store/configStore.js';
import type { EventStore } from '../store/eventStore.js';
import type { VrrpService } from './vrrp.js';

/** What the Cluster page shows to set a unit's side: what it has, what it uses, a proposal. */
export interface NodeSettingsView {
  unit: string;
  node: ClusterNode | null;
  interfaces: HostInterface[];
  proposal: ClusterNode | null;
}

/**
 * This unit's own cluster settings (interface, unicast source and peers, priorities), kept in
 * its config DB and never synced (ADR 0015). Set through the API (this unit's, or its paired
 * peer's), checked against what the unit really has, and followed by keepalived at once.
 */
export function createNodeSettings(d: {
  unitName: string;
  store: Pick<ConfigStore, 'clusterNode' | 'setClusterNode' | 'pairing'>;
  /** The shared configuration the settings go with (the latest generation). */
  config: () => ApplianceConfig | null;
  vrrp: Pick<VrrpService, 'setNode'>;
  interfaces: () => HostInterface[];
  events: Pick<EventStore, 'add'>;
  now: () => number;
}) {
  const listeners = new Set<() => void>();
  const stored = (): ClusterNode | null => {
    const raw = d.store.clusterNode();
    if (raw === null) return null;
    const r = parseWith(ClusterNode, raw);
    return r.ok ? r.value : null;
  };
  return {
    current: stored,
    /** Hears of each change (the unit re-renders: the pair's peers use this unit's address). */
    onChange(l: () => void): () => void {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    read(): NodeSettingsView {
      const interfaces = d.interfaces();
      const p = d.store.pairing();
      const config = d.config();
      return {
        unit: d.unitName,
        node: stored(),
        interfaces,
        proposal:
          p && config
            ? proposeClusterNode({ interfaces, peerAddress: p.address, role: p.role, config })
            : null,
      };
    },
    async set(input: unknown, author: string): Promise<NodeSettingsView> {
      const r = parseWith(ClusterNode, input);
      if (!r.ok)
        throw new TandemError('invalid_config', 'the cluster settings do not validate', r.errors);
      const config = d.config();
      const problems = config ? clusterNodeProblems(r.value, d.interfaces(), config) : [];
      if (problems.length > 0)
        throw new TandemError(
          'invalid_config',
          `the cluster settings cannot work on ${d.unitName}`,
          problems,
        );
      // keepalived first: a setting it refuses is not stored.
      await d.vrrp.setNode(r.value);
      d.store.setClusterNode(r.value);
      for (const l of listeners) l();
      d.events.add({
        at: d.now(),
        kind: 'vrrp',
        severity: 'info',
        subject: `unit ${d.unitName}`,
        message: `${author} set this unit's cluster settings: ${r.value.interface}, source ${r.value.unicastSource}, peers ${r.value.peers.join(' ')}, priorities ${
          Object.entries(r.value.priorities)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ') || 'default'
        }`,
      });
      return this.read();
    },
  };
}
export type NodeSettings = ReturnType<typeof createNodeSettings>;
