import type { ClusterStatus } from '@tandem/core';
import type { ApiClient } from './apiClient.js';
import { UsageError } from './parseArgs.js';
import { table } from './table.js';

const ago = (at: number | null) =>
  at === null ? '-' : `${((Date.now() - at) / 1000).toFixed(0)} s ago`;
const secs = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(2)} s`);

/** Human form of the cluster status: one row per VRRP instance. */
export function formatCluster(s: ClusterStatus): string {
  if (!s.enabled) return `unit ${s.unit}: no VRRP (keepalived off or no cluster settings)`;
  const head = [
    `unit ${s.unit}: keepalived ${s.keepalived.running ? `running (pid ${s.keepalived.pid ?? '?'})` : 'NOT running'}`,
    s.standby
      ? 'STANDBY (handed over; "tandemctl cluster resume" to return)'
      : s.ready
        ? 'ready'
        : 'NOT ready (HAProxy down)',
    `peer ${s.peers.join(' ') || '-'}`,
    ...(s.splitBrain ? ['SPLIT BRAIN: the peer also claims master'] : []),
  ].join(', ');
  return [
    head,
    table([
      ['instance', 'vrid', 'state', 'prio', 'since', 'VIPs', 'last takeover'],
      ...s.instances.map((i) => [
        i.name,
        String(i.vrid),
        i.splitBrain ? `${i.state}!` : i.state,
        String(i.priority ?? '-'),
        ago(i.since),
        i.vips.join(' '),
        i.lastTakeover ? `${secs(i.lastTakeover.gapMs)} (${i.lastTakeover.cause})` : '-',
      ]),
    ]),
  ].join('\n');
}

/** `tandemctl cluster status|handover|resume [--json]`. */
export async function runCluster(
  api: ApiClient,
  sub: string | undefined,
  out: (line: string) => void,
  json: boolean,
): Promise<number> {
  let s: ClusterStatus;
  if (sub === undefined || sub === 'status') s = await api.get<ClusterStatus>('/v1/cluster');
  else if (sub === 'handover' || sub === 'resume')
    s = await api.send<ClusterStatus>('POST', `/v1/cluster/${sub}`, {});
  else throw new UsageError(`unknown cluster command "${sub}"`);
  out(json ? JSON.stringify(s, null, 2) : formatCluster(s));
  return 0;
}
