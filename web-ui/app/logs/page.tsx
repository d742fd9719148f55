'use client';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { LogRow } from '@tandem/core';
import { api } from '../../lib/api';
import { explainTermination } from '../../lib/termination';
import { Nav } from '../nav';
import { useSession } from '../useSession';

const MAX_ROWS = 500;

/** Request logs: filters, text search, live tail (server-sent events), detail drawer, export. */
export default function LogsPage() {
  const session = useSession();
  const [rows, setRows] = useState<LogRow[]>([]);
  const [query, setQuery] = useState('');
  const [live, setLive] = useState(false);
  const [open, setOpen] = useState<LogRow | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (q: string) => {
    try {
      const r = await api<{ items: LogRow[] }>('GET', `/v1/logs?limit=200${q ? `&${q}` : ''}`);
      setRows(r.items);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : 'could not load the logs');
    }
  }, []);
  useEffect(() => {
    if (session) void load(query);
  }, [session, query, load]);
  useEffect(() => {
    if (!live) return;
    const es = new EventSource(`/api/v1/logs/stream${query ? `?${query}` : ''}`);
    es.addEventListener('log', (ev) => {
      const row = JSON.parse((ev as MessageEvent<string>).data) as LogRow;
      setRows((old) => [row, ...old].slice(0, MAX_ROWS));
    });
    return () => es.close();
  }, [live, query]);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const p = new URLSearchParams();
    for (const k of ['q', 'status', 'backend', 'client']) {
      const v = String(f.get(k) ?? '').trim();
      if (v) p.set(k, v);
    }
    setQuery(p.toString());
  };

  if (!session)
    return <main className="p-6 text-sm text-slate-500 dark:text-slate-400">Loading…</main>;
  return (
    <div className="mx-auto max-w-6xl p-6">
      <Nav session={session} />
      <form onSubmit={submit} className="mb-4 flex flex-wrap items-end gap-2 text-sm">
        <Filter name="q" label="Search URL, host, user agent" width="w-64" />
        <Filter name="status" label="Status (404, 5xx)" width="w-28" />
        <Filter name="backend" label="Backend" width="w-36" />
        <Filter name="client" label="Client (address or network)" width="w-48" />
        <button className="rounded bg-indigo-600 px-3 py-1.5 font-medium text-white">Filter</button>
        <label className="ml-auto flex items-center gap-2">
          <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} /> Live
          tail
        </label>
        <a
          className="rounded border border-slate-300 px-3 py-1.5 dark:border-slate-700"
          href={`/api/v1/logs/export?format=csv${query ? `&${query}` : ''}`}
        >
          CSV
        </a>
        <a
          className="rounded border border-slate-300 px-3 py-1.5 dark:border-slate-700"
          href={`/api/v1/logs/export?format=ndjson${query ? `&${query}` : ''}`}
        >
          NDJSON
        </a>
      </form>
      {error && (
        <p role="alert" className="mb-3 text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">No requests match.</p>
      ) : (
        <div className="max-h-[70vh] overflow-auto rounded border border-slate-200 dark:border-slate-800">
          <table className="w-full text-left text-sm">
            <thead className="sticky top-0 bg-slate-100 text-xs uppercase text-slate-500 dark:text-slate-400 dark:bg-slate-900">
              <tr>
                {['time', 'status', 'method', 'URL', 'backend / server', 'client', 'total'].map(
                  (h) => (
                    <th key={h} className="px-3 py-2 font-medium">
                      {h}
                    </th>
                  ),
                )}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200 bg-white dark:divide-slate-800 dark:bg-slate-950">
              {rows.map((r) => (
                <tr
                  key={r.id}
                  onClick={() => setOpen(r)}
                  className="cursor-pointer hover:bg-slate-50 dark:hover:bg-slate-900"
                >
                  <td className="whitespace-nowrap px-3 py-1.5 text-slate-500 dark:text-slate-400">
                    {new Date(r.at).toLocaleTimeString()}
                  </td>
                  <td
                    className={`px-3 py-1.5 font-medium ${(r.status ?? 0) >= 500 ? 'text-red-600' : (r.status ?? 0) >= 400 ? 'text-amber-600' : ''}`}
                  >
                    {r.status ?? (r.parseError ? 'raw' : '-')}
                  </td>
                  <td className="px-3 py-1.5">{r.method ?? ''}</td>
                  <td className="max-w-md truncate px-3 py-1.5" title={r.url ?? r.raw ?? ''}>
                    {r.url ?? r.raw ?? ''}
                  </td>
                  <td className="px-3 py-1.5">
                    {[r.backend, r.server].filter(Boolean).join(' / ')}
                  </td>
                  <td className="px-3 py-1.5">{r.clientIp ?? ''}</td>
                  <td className="px-3 py-1.5">{r.timers.total ?? '-'} ms</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open && <Drawer row={open} onClose={() => setOpen(null)} />}
    </div>
  );
}

function Filter({ name, label, width }: { name: string; label: string; width: string }) {
  return (
    <label className="flex flex-col">
      <span className="mb-1 text-xs text-slate-500 dark:text-slate-400">{label}</span>
      <input
        name={name}
        className={`${width} rounded border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-700 dark:bg-slate-900`}
      />
    </label>
  );
}

/** One request in words: timers on a line, the termination state explained. Escape closes it. */
function Drawer({ row, onClose }: { row: LogRow; onClose: () => void }) {
  const t = row.timers;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <aside
      role="dialog"
      aria-label="Request detail"
      className="fixed inset-y-0 right-0 w-full max-w-md overflow-y-auto border-l border-slate-200 bg-white p-5 shadow-xl dark:border-slate-800 dark:bg-slate-900"
    >
      <button
        onClick={onClose}
        className="float-right rounded border border-slate-300 px-2 py-1 text-sm dark:border-slate-700"
      >
        Close
      </button>
      <h2 className="mb-4 text-lg font-medium">
        {row.method} {row.status}
      </h2>
      <dl className="space-y-2 text-sm">
        <Item k="URL" v={row.url ?? '-'} />
        <Item k="When" v={new Date(row.at).toISOString()} />
        <Item
          k="Frontend / backend / server"
          v={[row.frontend, row.backend, row.server].map((x) => x ?? '-').join(' / ')}
        />
        <Item k="Client" v={row.clientIp ?? '-'} />
        <Item
          k="Timers"
          v={`request ${t.request ?? '-'} ms, queue ${t.queue ?? '-'} ms, connect ${t.connect ?? '-'} ms, response ${t.response ?? '-'} ms, total ${t.total ?? '-'} ms`}
        />
        <Item
          k="Termination"
          v={`${row.termination ?? '-'}: ${explainTermination(row.termination)}`}
        />
        <Item k="Bytes" v={String(row.bytes ?? '-')} />
        {row.parseError && <Item k="Not parsed" v={`${row.parseError}: ${row.raw ?? ''}`} />}
      </dl>
    </aside>
  );
}

function Item({ k, v }: { k: string; v: string }) {
  return (
    <div>
      <dt className="text-xs uppercase text-slate-500 dark:text-slate-400">{k}</dt>
      <dd className="break-all">{v}</dd>
    </div>
  );
}
