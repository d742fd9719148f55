'use client';
import { useEffect, useRef } from 'react';
import type { LogRow } from '@tandem/core';
import { explainTermination } from '../../lib/termination';

/** One request in words: timers on a line, the termination state explained. Escape closes it. */
export function LogDrawer({ row, onClose }: { row: LogRow; onClose: () => void }) {
  const t = row.timers;
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
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
      className="fixed inset-y-0 right-0 z-40 w-full max-w-md overflow-y-auto border-l border-slate-200 bg-white p-5 shadow-xl dark:border-slate-800 dark:bg-slate-900"
    >
      <button
        ref={close}
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
