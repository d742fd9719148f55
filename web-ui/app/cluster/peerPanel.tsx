'use client';
import type { ClusterStatus, PeerStatus } from '@tandem/core';
import { ConfirmButton } from '../confirmButton';
import { CertificatePairTable, DiscoveryPairTable } from './pairTable';

const ago = (at: number | null) =>
  at === null ? '-' : `${Math.max(0, Math.round((Date.now() - at) / 1000))} s ago`;
const short = (fingerprint: string) => (fingerprint.slice(0, 16).match(/.{4}/g) ?? []).join(' ');

const STATE: Record<PeerStatus['state'], { text: string; tone: string }> = {
  'in-sync': { text: 'in sync', tone: 'text-emerald-700 dark:text-emerald-400' },
  syncing: { text: 'syncing', tone: 'text-amber-700 dark:text-amber-400' },
  unreachable: { text: 'unreachable', tone: 'text-red-700 dark:text-red-400' },
  'apply-failed': { text: 'could not apply', tone: 'text-red-700 dark:text-red-400' },
  conflict: { text: 'conflict', tone: 'text-red-700 dark:text-red-400' },
  untrusted: { text: 'another certificate', tone: 'text-red-700 dark:text-red-400' },
};

/**
 * The paired unit as this one sees it: whether it is ready to take over (runs the same
 * generation, reachable, no error), the last change shipped and its latency, the clock skew;
 * a conflict with the choice of which unit's changes to keep; sync now and unpair.
 */
export function PeerPanel(p: {
  status: ClusterStatus;
  peer: PeerStatus;
  admin: boolean;
  onAction: (what: 'sync' | 'unpair' | { keep: string }) => void;
}) {
  const { peer } = p;
  const state = STATE[peer.state];
  const rows: [string, string][] = [
    ['Peer', `${peer.unit} at ${peer.address}:${peer.port}`],
    [
      'Its identity',
      `${short(peer.fingerprint)}${peer.readiness ? `, certificate until ${peer.readiness.identityNotAfter.slice(0, 10)}` : ''}`,
    ],
    [
      'Its servers, as it sees them',
      peer.readiness
        ? `${peer.readiness.servers.up} up, ${peer.readiness.servers.down} down${peer.readiness.servers.other ? `, ${peer.readiness.servers.other} in maintenance or other` : ''}`
        : '-',
    ],
    ...peer.vrrp.map((v): [string, string] => [
      `VRRP ${v.name}`,
      `here ${v.here}, there ${v.peer}: ${v.verdict === 'one master' ? 'adverts get through' : v.verdict === 'two masters' ? 'two masters: adverts do not get through' : v.verdict}`,
    ]),
    ['This unit', `${p.status.unit}, identity ${p.status.identity?.shortFingerprint ?? '-'}`],
    [
      'Runs',
      `generation ${peer.running ?? '-'} ${peer.runsSame ? '(the same as this unit)' : '(not the same as this unit)'}`,
    ],
    [
      'Last change shipped',
      peer.lastSync
        ? `generation ${peer.lastSync.generation}, running there ${(peer.lastSync.latencyMs / 1000).toFixed(2)} s after, ${ago(peer.lastSync.at)}`
        : '-',
    ],
    ['Last contact', ago(peer.lastContact)],
    ['Clock skew', peer.clockSkewMs === null ? '-' : `${peer.clockSkewMs} ms`],
  ];
  return (
    <section
      aria-label="Peer"
      className="rounded border border-slate-200 p-4 dark:border-slate-800"
    >
      <div className="flex flex-wrap items-center gap-3">
        <h3 className="font-medium">
          Paired with {peer.unit}:{' '}
          <span className={state.tone} data-testid="sync-state">
            {state.text}
          </span>
          {peer.state === 'in-sync' && peer.runsSame && (
            <span className="ml-2 text-emerald-700 dark:text-emerald-400">
              · ready to take over
            </span>
          )}
        </h3>
        {p.admin && (
          <span className="ml-auto flex gap-2">
            <button
              type="button"
              onClick={() => p.onAction('sync')}
              className="rounded border border-slate-300 px-3 py-1.5 text-sm dark:border-slate-700"
            >
              Sync now
            </button>
            <ConfirmButton
              label="Unpair…"
              question={`Dissolve the pair with ${peer.unit}? Each unit keeps its configuration.`}
              action="Unpair"
              onConfirm={() => p.onAction('unpair')}
            />
          </span>
        )}
      </div>
      <dl className="mt-3 grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-[12rem_1fr]">
        {rows.map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="text-slate-500 dark:text-slate-400">{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <CertificatePairTable peer={peer.unit} certificates={peer.certificates} />
      <DiscoveryPairTable peer={peer.unit} discovery={peer.discovery} />
      {peer.error && (
        <p role="alert" className="mt-3 text-sm text-red-700 dark:text-red-400">
          {peer.error}
        </p>
      )}
      {peer.conflict && (
        <div
          role="alert"
          className="mt-3 rounded border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
        >
          <p>
            Both units accepted changes while they could not reach each other: this unit is at
            generation {peer.conflict.here.number} ({peer.conflict.here.hash.slice(0, 8)}),{' '}
            {peer.unit} at generation {peer.conflict.peer.number} (
            {peer.conflict.peer.hash?.slice(0, 8) ?? '-'}). Nothing is lost: choose whose changes to
            keep; the other unit&apos;s go to its archive.
          </p>
          {p.admin && (
            <span className="mt-2 flex flex-wrap gap-2">
              <ConfirmButton
                label={`Keep ${p.status.unit}'s changes…`}
                question={`Keep ${p.status.unit}'s branch and archive ${peer.unit}'s?`}
                action="Keep"
                tone="warning"
                onConfirm={() => p.onAction({ keep: p.status.unit })}
              />
              <ConfirmButton
                label={`Keep ${peer.unit}'s changes…`}
                question={`Keep ${peer.unit}'s branch and archive ${p.status.unit}'s?`}
                action="Keep"
                tone="warning"
                onConfirm={() => p.onAction({ keep: peer.unit })}
              />
            </span>
          )}
        </div>
      )}
    </section>
  );
}
