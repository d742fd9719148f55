'use client';
import { Loading } from '../loadingScreen';
import { useState } from 'react';
import type { ClusterStatus, EventRow, Takeover } from '@tandem/core';
import { api, ApiError } from '../../lib/api';
import { ConfirmButton } from '../confirmButton';
import { EventList } from '../eventList';
import { Nav } from '../nav';
import { usePoll } from '../usePoll';
import { useSession } from '../useSession';

const secs = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? '-' : `${(ms / 1000).toFixed(2)} s`;

/** Why a unit became master, in words (ADR 0010). */
const CAUSE: Record<Takeover['cause'], string> = {
  'peer-silent': 'the peer went silent',
  'peer-resigned': 'the peer handed over',
  election: 'initial election',
  unknown: 'reason unknown',
};

/** VRRP per instance, split brain, handover/resume, and the transition timeline. */
export default function ClusterPage() {
  const session = useSession();
  const [status, setStatus] = useState<ClusterStatus | null>(null);
  const [events, setEvents] = useState<EventRow[]>([]);
  const [message, setMessage] = useState<string | null>(null);

  const refresh = async () => {
    const [s, ev] = await Promise.all([
      api<ClusterStatus>('GET', '/v1/cluster'),
      api<{ items: EventRow[] }>('GET', '/v1/events?kind=vrrp&limit=20'),
    ]);
    setStatus(s);
    setEvents(ev.items);
  };
  usePoll(refresh, 2_000, [session], session !== null);

  const act = async (what: 'handover' | 'resume') => {
    try {
      setStatus(await api<ClusterStatus>('POST', `/v1/cluster/${what}`, {}));
      setMessage(
        what === 'handover'
          ? 'Handed over: this unit is in standby.'
          : 'This unit may be master again.',
      );
    } catch (e) {
      setMessage(e instanceof ApiError ? e.message : 'the unit did not answer');
    }
  };

  if (!session || !status) return <Loading />;
  const admin = session.role === 'admin';
  return (
    <div className="mx-auto max-w-5xl p-4 sm:p-6">
      <Nav session={session} unit={status.unit} />
      {status.splitBrain && (
        <div
          role="alert"
          className="mb-4 rounded border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
        >
          Split brain: another unit answers for a VIP this unit holds. VRRP adverts are not getting
          through between the units.
        </div>
      )}
      {!status.enabled ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">
          This unit runs no VRRP: it is standalone. Add VRRP instances to the configuration and a
          cluster-node.json to pair it (docs/cluster.md).
        </p>
      ) : (
        <>
          <div className="mb-4 flex flex-wrap items-center gap-3 text-sm">
            <span>
              peer {status.peers.join(', ') || '-'}; keepalived{' '}
              {status.keepalived.running
                ? `running (pid ${status.keepalived.pid ?? '?'})`
                : 'NOT running'}
              ,{' '}
              {status.standby
                ? 'standby (handed over)'
                : status.ready
                  ? 'ready'
                  : 'not ready (HAProxy down)'}
            </span>
            {admin && !status.standby && (
              <span className="ml-auto">
                <ConfirmButton
                  label="Hand over to the peer…"
                  question="Move this unit's VIPs to the peer and stay in standby?"
                  action="Hand over"
                  tone="warning"
                  onConfirm={() => void act('handover')}
                />
              </span>
            )}
            {admin && status.standby && (
              <button
                onClick={() => void act('resume')}
                className="ml-auto rounded bg-indigo-600 px-3 py-1.5 font-medium text-white"
              >
                Resume
              </button>
            )}
          </div>
          <div className="overflow-x-auto">
            <table className="w-full rounded border border-slate-200 text-left text-sm dark:border-slate-800">
              <thead className="bg-slate-100 text-xs uppercase text-slate-500 dark:text-slate-400 dark:bg-slate-900">
                <tr>
                  {['instance', 'VRID', 'state', 'priority', 'VIPs', 'last takeover'].map((h) => (
                    <th key={h} className="px-3 py-2">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-200 bg-white dark:divide-slate-800 dark:bg-slate-950">
                {status.instances.map((i) => (
                  <tr key={i.name}>
                    <td className="px-3 py-2 font-medium">{i.name}</td>
                    <td className="px-3 py-2">{i.vrid}</td>
                    {/* A handed-over unit is FAULT to keepalived on purpose (its ready file
                        says not ready): say standby, not an alarm. */}
                    {status.standby && i.state === 'FAULT' ? (
                      <td className="px-3 py-2 font-medium" title="keepalived: FAULT (handed over)">
                        standby
                      </td>
                    ) : (
                      <td
                        className={`px-3 py-2 font-medium ${i.state === 'MASTER' ? 'text-emerald-700 dark:text-emerald-400' : i.state === 'FAULT' ? 'text-red-700 dark:text-red-400' : ''}`}
                      >
                        {i.state}
                      </td>
                    )}
                    <td className="px-3 py-2">{i.priority ?? '-'}</td>
                    <td className="px-3 py-2">{i.vips.join(', ')}</td>
                    <td className="px-3 py-2">
                      {i.lastTakeover
                        ? i.lastTakeover.gapMs === null
                          ? CAUSE[i.lastTakeover.cause]
                          : `${secs(i.lastTakeover.gapMs)} (${CAUSE[i.lastTakeover.cause]})`
                        : '-'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {message && <p className="mt-3 text-sm">{message}</p>}
      <EventList title="Transitions" events={events} empty="No VRRP transitions yet." withDate />
    </div>
  );
}
