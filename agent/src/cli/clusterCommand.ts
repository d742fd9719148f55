import type { ClusterStatus, PeerStatus } from '@tandem/core';
import type { ApiClient } from './apiClient.js';
import { flag, UsageError, type ParsedArgs } from './parseArgs.js';
import { table } from './table.js';

const ago = (at: number | null) =>
  at === null ? '-' : `${((Date.now() - at) / 1000).toFixed(0)} s ago`;
const secs = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(2)} s`);

/** The pairing lines: who the peer is and how sync stands (what the Cluster page shows). */
export function formatPairing(s: ClusterStatus): string[] {
  const id = s.identity
    ? [
        `identity ${s.identity.shortFingerprint} (certificate until ${s.identity.notAfter.slice(0, 10)})`,
      ]
    : [];
  const p: PeerStatus | null = s.pairing;
  if (!p)
    return [
      ...id,
      s.identity
        ? 'not paired ("tandemctl cluster code" here, then "tandemctl cluster pair" on the other unit)'
        : 'cannot pair (no peer port)',
    ];
  return [
    ...id,
    `paired with ${p.unit} at ${p.address}:${p.port} (${p.fingerprint.slice(0, 16).replace(/(.{4})(?!$)/g, '$1 ')}), since ${new Date(p.pairedAt).toISOString()}`,
    `sync ${p.state.toUpperCase()}: peer has generation ${p.head?.number ?? '?'}, runs ${p.running ?? '?'}${p.runsSame ? ' (the same as here)' : ''}; last contact ${ago(p.lastContact)}; clock skew ${p.clockSkewMs === null ? '-' : `${p.clockSkewMs} ms`}`,
    ...(p.lastSync
      ? [
          `last change shipped: generation ${p.lastSync.generation} running there ${secs(p.lastSync.latencyMs)} after ${ago(p.lastSync.at)}`,
        ]
      : []),
    ...(p.conflict
      ? [
          `CONFLICT: here generation ${p.conflict.here.number} (${p.conflict.here.hash.slice(0, 8)}), peer generation ${p.conflict.peer.number} (${p.conflict.peer.hash?.slice(0, 8) ?? '-'}): both kept`,
        ]
      : []),
    ...p.discovery.map(
      (d) =>
        `servers from DNS ${d.backend} (${d.name}): ${d.same ? 'the same members on both units' : `here ${d.here?.join(' ') ?? 'not discovered'}, ${p.unit} ${d.peer?.join(' ') ?? 'not discovered'}`}`,
    ),
    ...(p.error ? [`error: ${p.error}`] : []),
  ];
}

/** Human form of the cluster status: identity and pairing, then one row per VRRP instance. */
export function formatCluster(s: ClusterStatus): string {
  if (!s.enabled)
    return [
      `unit ${s.unit}: no VRRP (keepalived off or no cluster settings)`,
      ...formatPairing(s),
    ].join('\n');
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
    ...formatPairing(s),
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

/**
 * `tandemctl cluster status|handover|resume|sync|code|pair ADDRESS CODE [--port N]|resolve --keep UNIT|unpair`.
 */
export async function runCluster(
  api: ApiClient,
  a: ParsedArgs,
  out: (line: string) => void,
  json: boolean,
): Promise<number> {
  const [, sub, ...rest] = a.positionals;
  const show = (s: ClusterStatus) => out(json ? JSON.stringify(s, null, 2) : formatCluster(s));
  switch (sub) {
    case undefined:
    case 'status':
      show(await api.get<ClusterStatus>('/v1/cluster'));
      return 0;
    case 'handover':
    case 'resume':
    case 'sync':
      show(await api.send<ClusterStatus>('POST', `/v1/cluster/${sub}`, {}));
      return 0;
    case 'code': {
      const c = await api.send<{ code: string; expiresAt: number }>(
        'POST',
        '/v1/cluster/pairing-code',
        {},
      );
      const s = await api.get<ClusterStatus>('/v1/cluster');
      if (json) out(JSON.stringify({ ...c, identity: s.identity }, null, 2));
      else
        out(
          [
            `pairing code ${c.code} (valid once, until ${new Date(c.expiresAt).toISOString().slice(11, 19)} UTC)`,
            `on the other unit: tandemctl cluster pair <this unit's address> ${c.code}`,
            `this unit's identity: ${s.identity?.shortFingerprint ?? '?'} (the other unit shows it once paired)`,
          ].join('\n'),
        );
      return 0;
    }
    case 'pair': {
      const [address, code] = rest;
      if (!address || !code) throw new UsageError('cluster pair needs ADDRESS and CODE');
      const port = flag(a, 'port');
      show(
        await api.send<ClusterStatus>('POST', '/v1/cluster/pair', {
          address,
          code,
          ...(port !== undefined ? { port: Number(port) } : {}),
        }),
      );
      return 0;
    }
    case 'resolve': {
      const keep = flag(a, 'keep');
      if (!keep) throw new UsageError('cluster resolve needs --keep UNIT (this unit or its peer)');
      show(await api.send<ClusterStatus>('POST', '/v1/cluster/resolve', { keep }));
      return 0;
    }
    case 'unpair': {
      const r = await api.send<{ peerTold: boolean; cluster: ClusterStatus }>(
        'POST',
        '/v1/cluster/unpair',
        {},
      );
      if (json) out(JSON.stringify(r, null, 2));
      else
        out(
          r.peerTold
            ? 'unpaired on both units'
            : 'unpaired here; the peer did not answer: unpair it there too',
        );
      return 0;
    }
    default:
      throw new UsageError(`unknown cluster command "${sub}"`);
  }
}
