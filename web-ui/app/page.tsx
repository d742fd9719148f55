'use client';
import Link from 'next/link';
import { Loading } from './loadingScreen';
import { useState } from 'react';
import {
  daysLeft,
  EXPIRY_WARNING_DAYS,
  type ClusterStatus,
  type EventRow,
  type StatusResponse,
  type StoredCertificate,
} from '@tandem/core';
import { api } from '../lib/api';
import { oldWorkersText } from '../lib/oldWorkersText';
import { ApplyPanel } from './applyPanel';
import { EventList } from './eventList';
import { Nav } from './nav';
import { usePoll } from './usePoll';
import { useSession } from './useSession';
import { LiveCharts } from './liveCharts';
import { ServerHealth } from './serverHealth';
import { PAGE_FRAME } from './ui';

/** The dashboard: this unit, its VRRP role, live traffic charts, backend health and the latest events. */
export default function Dashboard() {
  const session = useSession();
  const [status, setStatus] = useState<StatusResponse | null>(null);
  const [cluster, setCluster] = useState<ClusterStatus | null>(null);
  const [events, setEvents] = useState<EventRow[]>([]);
  const [certificates, setCertificates] = useState<StoredCertificate[]>([]);

  usePoll(
    async () => {
      const [st, cl, ev, certs] = await Promise.all([
        api<StatusResponse>('GET', '/v1/status'),
        api<ClusterStatus>('GET', '/v1/cluster'),
        api<{ items: EventRow[] }>('GET', '/v1/events?limit=10'),
        api<StoredCertificate[]>('GET', '/v1/certificates'),
      ]);
      setStatus(st);
      setCluster(cl);
      setEvents(ev.items);
      setCertificates(certs);
    },
    5_000,
    [session],
    session !== null,
  );

  const role = cluster?.enabled
    ? cluster.instances.map((i) => `${i.name}: ${i.state}`).join(', ') || 'no instances'
    : 'standalone';
  const vips = cluster?.instances.flatMap((i) => i.vips) ?? [];

  if (!session) return <Loading />;
  return (
    <div className={PAGE_FRAME}>
      <Nav session={session} unit={status?.unit} />
      {cluster?.pairing && !['in-sync', 'syncing'].includes(cluster.pairing.state) && (
        <div
          role="alert"
          className="mb-4 rounded border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
        >
          Sync with {cluster.pairing.unit}: {cluster.pairing.error ?? cluster.pairing.state}.{' '}
          <Link href="/cluster" className="underline">
            Cluster page
          </Link>
        </div>
      )}
      {certificates
        .map((c) => ({ c, left: daysLeft(c.notAfter, Date.now()) }))
        .filter(({ left }) => left <= EXPIRY_WARNING_DAYS)
        .map(({ c, left }) => (
          <div
            key={c.name}
            role="alert"
            data-testid="certificate-expiry"
            className="mb-4 rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
          >
            Certificate {c.name}{' '}
            {left < 0 ? 'has expired' : `expires in ${left} day${left === 1 ? '' : 's'}`}
            {c.usedBy.length ? ` (used by ${c.usedBy.join(', ')})` : ''}.{' '}
            <Link href="/settings#certificates" className="underline">
              Replace it
            </Link>
          </div>
        ))}
      <div className="mb-4">
        <ApplyPanel
          status={status}
          admin={session.role === 'admin'}
          onDone={() => void api<StatusResponse>('GET', '/v1/status').then(setStatus)}
        />
      </div>
      <section className="grid gap-4 sm:grid-cols-3 lg:grid-cols-5">
        <Card title="Role" value={cluster ? role : '…'} />
        <Card
          title="Peer"
          value={
            cluster
              ? cluster.pairing
                ? `${cluster.pairing.unit} at ${cluster.pairing.address} (${cluster.pairing.state === 'in-sync' ? 'in sync' : cluster.pairing.state})`
                : cluster.peers.join(', ') || 'none (standalone)'
              : '…'
          }
        />
        <Card title="VIPs" value={cluster ? vips.join(', ') || 'none' : '…'} />
        <Card
          title="Generation"
          value={
            status ? `running ${status.running ?? '-'} / desired ${status.desired ?? '-'}` : '…'
          }
        />
        <Card
          title="HAProxy"
          value={
            status
              ? status.haproxy.running
                ? `running ${status.haproxy.version ?? ''}`
                : 'NOT running'
              : '…'
          }
          detail={status ? oldWorkersText(status.haproxy.oldWorkers) : undefined}
        />
      </section>
      <LiveCharts />
      <ServerHealth />
      <EventList title="Recent events" events={events} empty="Nothing has happened yet." showKind />
    </div>
  );
}

function Card({ title, value, detail }: { title: string; value: string; detail?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <div className="text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">
        {title}
      </div>
      <div className="mt-1 font-medium">{value}</div>
      {detail && <div className="mt-1 text-xs text-slate-500 dark:text-slate-400">{detail}</div>}
    </div>
  );
}
