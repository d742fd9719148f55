'use client';
import { Loading } from '../loadingScreen';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { LogRow } from '@tandem/core';
import { api } from '../../lib/api';
import { FilterInput, FilterSelect } from '../filterFields';
import { Nav } from '../nav';
import { useSession } from '../useSession';
import { DroppedNotice } from './droppedNotice';
import { LogDrawer } from './logDrawer';
import { LogTable } from './logTable';
import { PAGE_FRAME } from '../ui';

/** Rows kept in the browser (pages of older rows plus the live tail); the table is virtualised. */
const MAX_ROWS = 10_000;
const PAGE = 500;
const RANGES = [
  { label: 'Last 15 minutes', ms: 15 * 60_000 },
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last 24 hours', ms: 86_400_000 },
  { label: 'Last 7 days', ms: 7 * 86_400_000 },
  { label: 'Everything kept', ms: 0 },
];

/** Request logs: filters, time range, text search, live tail (server-sent events), detail, export. */
export default function LogsPage() {
  const session = useSession();
  const [rows, setRows] = useState<LogRow[] | null>(null);
  const [query, setQuery] = useState('');
  const [live, setLive] = useState(false);
  const [more, setMore] = useState(false);
  const [open, setOpen] = useState<LogRow | null>(null);
  const [error, setError] = useState<string | null>(null);

  const fetchPage = useCallback(
    (before?: number) =>
      api<{ items: LogRow[] }>(
        'GET',
        `/v1/logs?limit=${PAGE}${query ? `&${query}` : ''}${before ? `&before=${before}` : ''}`,
      ),
    [query],
  );
  useEffect(() => {
    if (!session) return;
    setRows(null);
    fetchPage()
      .then((r) => {
        setRows(r.items);
        setMore(r.items.length === PAGE);
        setError(null);
      })
      .catch((e: unknown) => {
        setRows([]);
        setError(e instanceof Error ? e.message : 'could not load the logs');
      });
  }, [session, fetchPage]);
  useEffect(() => {
    if (!live) return;
    // The stream takes the same filters but no time range: it only sends what arrives from now.
    const p = new URLSearchParams(query);
    p.delete('from');
    const es = new EventSource(`/api/v1/logs/stream${p.size ? `?${p}` : ''}`);
    es.addEventListener('log', (ev) => {
      const row = JSON.parse((ev as MessageEvent<string>).data) as LogRow;
      setRows((old) => [row, ...(old ?? [])].slice(0, MAX_ROWS));
    });
    return () => es.close();
  }, [live, query]);
  const older = async () => {
    const last = rows?.at(-1);
    if (!last) return;
    const r = await fetchPage(last.id);
    setRows((old) => [...(old ?? []), ...r.items].slice(0, MAX_ROWS));
    setMore(r.items.length === PAGE && (rows?.length ?? 0) + r.items.length < MAX_ROWS);
  };

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const p = new URLSearchParams();
    for (const k of ['q', 'status', 'service', 'backend', 'client']) {
      const v = String(f.get(k) ?? '').trim();
      if (v) p.set(k, v);
    }
    const range = Number(f.get('range'));
    if (range > 0) p.set('from', String(Date.now() - range));
    setQuery(p.toString());
  };

  if (!session) return <Loading />;
  return (
    <div className={PAGE_FRAME}>
      <Nav session={session} />
      <form onSubmit={submit} className="mb-4 flex flex-wrap items-end gap-2 text-sm">
        <FilterInput name="q" label="Search URL, host, user agent" width="w-64" />
        <FilterInput name="status" label="Status (404, 5xx)" width="w-28" />
        <FilterInput name="service" label="Service" width="w-28" />
        <FilterInput name="backend" label="Backend (web/app)" width="w-36" />
        <FilterInput name="client" label="Client (address or network)" width="w-48" />
        <FilterSelect
          name="range"
          label="Time range"
          defaultValue={0}
          options={RANGES.map((r) => ({ value: r.ms, label: r.label }))}
        />
        <button className="rounded bg-indigo-600 px-3 py-1.5 font-medium text-white">Filter</button>
        <label className="ml-auto flex items-center gap-2">
          <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} /> Live
          tail
        </label>
        <span className="flex items-center gap-1">
          Export
          {(['csv', 'ndjson'] as const).map((format) => (
            <a
              key={format}
              aria-label={`Export the filtered requests as ${format.toUpperCase()}`}
              className="rounded border border-slate-300 px-2 py-1.5 dark:border-slate-700"
              download
              href={`/api/v1/logs/export?format=${format}${query ? `&${query}` : ''}`}
            >
              {format.toUpperCase()}
            </a>
          ))}
        </span>
      </form>
      <DroppedNotice refresh={query} />
      {error && (
        <p role="alert" className="mb-3 text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
      {rows === null ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">Loading requests…</p>
      ) : rows.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">No requests match.</p>
      ) : (
        <>
          <p className="mb-2 text-xs text-slate-500 dark:text-slate-400" aria-live="polite">
            {rows.length} requests, newest first
          </p>
          <LogTable rows={rows} onOpen={setOpen} />
          {more && (
            <button
              onClick={() => void older()}
              className="mt-3 rounded border border-slate-300 px-3 py-1.5 text-sm dark:border-slate-700"
            >
              Load older requests
            </button>
          )}
        </>
      )}
      {open && <LogDrawer row={open} onClose={() => setOpen(null)} />}
    </div>
  );
}
