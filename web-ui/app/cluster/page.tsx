'use client';
import { Loading } from '../loadingScreen';
import { useState } from 'react';
import type {
  ApplianceConfig,
  ClusterNodes,
  ClusterStatus,
  EventRow,
  SessionInfo,
} from '@tandem/core';
import { api, ApiError } from '../../lib/api';
import { ConfirmButton } from '../confirmButton';
import { EventList } from '../eventList';
import { Nav } from '../nav';
import { Note } from '../note';
import { SudoForm } from '../sudoForm';
import { usePoll } from '../usePoll';
import { useSession } from '../useSession';
import { NodeSettingsForm } from './nodeSettingsForm';
import { PairingPanel } from './pairingPanel';
import { PeerPanel } from './peerPanel';
import { VipForm } from './vipForm';
import { VrrpTable } from './vrrpTable';
import { PAGE_FRAME } from '../ui';

const heading = 'mb-2 mt-6 text-lg font-semibold';

/**
 * The pair: pairing (a code shown here, or another unit's code typed here), the peer and the
 * state of sync, a first VIP, each unit's own failover settings, VRRP per instance with
 * handover/resume, and the timelines of transitions and of sync (docs/cluster.md).
 */
export default function ClusterPage() {
  const session = useSession();
  const [status, setStatus] = useState<ClusterStatus | null>(null);
  const [nodes, setNodes] = useState<ClusterNodes | null>(null);
  const [instances, setInstances] = useState<string[]>([]);
  const [events, setEvents] = useState<{ vrrp: EventRow[]; sync: EventRow[] }>({
    vrrp: [],
    sync: [],
  });
  const [message, setMessage] = useState<string | null>(null);
  const [sudo, setSudo] = useState<SessionInfo | null>(null);
  const [needSudo, setNeedSudo] = useState(false);

  const refresh = async () => {
    const [s, n, c, vrrp, sync] = await Promise.all([
      api<ClusterStatus>('GET', '/v1/cluster'),
      api<ClusterNodes>('GET', '/v1/cluster/nodes'),
      api<{ config: ApplianceConfig }>('GET', '/v1/config'),
      api<{ items: EventRow[] }>('GET', '/v1/events?kind=vrrp&limit=20'),
      api<{ items: EventRow[] }>('GET', '/v1/events?kind=sync&limit=20'),
    ]);
    setStatus(s);
    setNodes(n);
    setInstances(c.config.cluster.instances.map((i) => i.name));
    setEvents({ vrrp: vrrp.items, sync: sync.items });
  };
  usePoll(refresh, 2_000, [session], session !== null);

  const run = async (what: () => Promise<ClusterStatus | null>, done: string) => {
    try {
      const s = await what();
      if (s) setStatus(s);
      setMessage(done);
      await refresh();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'forbidden' && (sudo ?? session)?.sudoUntil === null)
        setNeedSudo(true);
      setMessage(e instanceof ApiError ? e.message : 'the unit did not answer');
    }
  };
  const peerAction = (what: 'sync' | 'unpair' | { keep: string }) =>
    void run(
      async () =>
        what === 'sync'
          ? api<ClusterStatus>('POST', '/v1/cluster/sync', {})
          : what === 'unpair'
            ? (await api<{ cluster: ClusterStatus }>('POST', '/v1/cluster/unpair', {})).cluster
            : api<ClusterStatus>('POST', '/v1/cluster/resolve', what),
      what === 'sync'
        ? 'Synced.'
        : what === 'unpair'
          ? 'Unpaired.'
          : `Kept ${what.keep}'s changes.`,
    );

  if (!session || !status) return <Loading />;
  const admin = session.role === 'admin';
  const inSudo = (sudo ?? session).sudoUntil !== null;
  const askSudo = (
    <SudoForm
      why="Pairing hands this unit's configuration to another unit, or takes another's. Enter your password again (valid for 10 minutes)."
      action="Continue"
      session={session}
      onSudo={(s) => {
        setSudo(s);
        setNeedSudo(false);
      }}
    />
  );
  return (
    <div className={PAGE_FRAME}>
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
      <h2 className={heading}>Pair</h2>
      {!status.identity ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">
          This unit is standalone and cannot pair: its peer port is off (TANDEM_PEER_PORT).
        </p>
      ) : status.pairing ? (
        <>
          {needSudo && !inSudo && askSudo}
          <PeerPanel status={status} peer={status.pairing} admin={admin} onAction={peerAction} />
        </>
      ) : !admin ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">
          This unit is not paired. An administrator can pair it here.
        </p>
      ) : inSudo ? (
        <PairingPanel
          status={status}
          onPaired={(s) =>
            void run(() => Promise.resolve(s), `Paired with ${s.pairing?.unit ?? 'the unit'}.`)
          }
        />
      ) : (
        askSudo
      )}

      <h2 className={heading}>Failover</h2>
      {admin && instances.length === 0 && (
        <VipForm onDone={(m) => void run(() => Promise.resolve(null), m)} />
      )}
      {admin && nodes && instances.length > 0 && (
        <div className="grid gap-4 md:grid-cols-2">
          {[nodes.here, nodes.peer].map((v) =>
            v ? (
              <NodeSettingsForm
                key={v.unit}
                view={v}
                instances={instances}
                onSaved={(n) => {
                  setNodes(n);
                  setMessage(`Saved ${v.unit}'s failover settings.`);
                }}
              />
            ) : null,
          )}
          {nodes.peerError && (
            <p className="text-sm text-red-600 dark:text-red-400">
              The peer&apos;s settings: {nodes.peerError}
            </p>
          )}
        </div>
      )}
      {status.enabled && (
        <>
          <div className="mb-4 mt-4 flex flex-wrap items-center gap-3 text-sm">
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
                  onConfirm={() =>
                    void run(
                      () => api<ClusterStatus>('POST', '/v1/cluster/handover', {}),
                      'Handed over: this unit is in standby.',
                    )
                  }
                />
              </span>
            )}
            {admin && status.standby && (
              <button
                onClick={() =>
                  void run(
                    () => api<ClusterStatus>('POST', '/v1/cluster/resume', {}),
                    'This unit may be master again.',
                  )
                }
                className="ml-auto rounded bg-indigo-600 px-3 py-1.5 font-medium text-white"
              >
                Resume
              </button>
            )}
          </div>
          <VrrpTable status={status} />
        </>
      )}
      {!status.enabled && instances.length > 0 && (
        <p className="mt-3 text-sm text-slate-500 dark:text-slate-400">
          keepalived is not running here yet: save this unit&apos;s failover settings above.
        </p>
      )}
      <Note text={message} />
      <EventList
        title="Transitions"
        events={events.vrrp}
        empty="No VRRP transitions yet."
        withDate
      />
      <EventList title="Pairing and sync" events={events.sync} empty="Nothing yet." withDate />
    </div>
  );
}
