'use client';
import { useEffect, useRef, useState } from 'react';
import { isHaproxyMessage as isMessage, type LogRow } from '@tandem/core';
import { virtualWindow } from '../../lib/virtualWindow';

const ROW = 33;
const COLUMNS = ['time', 'status', 'method', 'URL', 'backend / server', 'client', 'total'];

/**
 * The request table, virtualised: however many rows are loaded (up to 10,000 with live tail),
 * only those in view are in the DOM. Rows open the detail drawer by click or Enter.
 */
export function LogTable(p: { rows: LogRow[]; onOpen: (r: LogRow) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const [scroll, setScroll] = useState({ top: 0, height: 600 });
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setScroll({ top: el.scrollTop, height: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const w = virtualWindow({
    count: p.rows.length,
    rowHeight: ROW,
    scrollTop: scroll.top,
    viewport: scroll.height,
  });
  return (
    <div
      ref={box}
      onScroll={(e) =>
        setScroll({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })
      }
      className="max-h-[70vh] overflow-auto rounded border border-slate-200 dark:border-slate-800"
    >
      <table className="w-full text-left text-sm" aria-rowcount={p.rows.length + 1}>
        <thead className="sticky top-0 z-10 bg-slate-100 text-xs uppercase text-slate-500 dark:bg-slate-900 dark:text-slate-400">
          <tr>
            {COLUMNS.map((h) => (
              <th key={h} className="px-3 py-2 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200 bg-white dark:divide-slate-800 dark:bg-slate-950">
          {w.padTop > 0 && <tr aria-hidden style={{ height: w.padTop }} />}
          {p.rows.slice(w.start, w.end).map((r, i) => (
            <tr
              key={r.id}
              tabIndex={0}
              aria-rowindex={w.start + i + 2}
              onClick={() => p.onOpen(r)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') p.onOpen(r);
              }}
              style={{ height: ROW }}
              className="cursor-pointer hover:bg-slate-50 focus:bg-indigo-50 focus:outline-none dark:hover:bg-slate-900 dark:focus:bg-slate-800"
            >
              <td className="whitespace-nowrap px-3 text-slate-500 dark:text-slate-400">
                {new Date(r.at).toLocaleTimeString()}
              </td>
              {isMessage(r) ? (
                <>
                  <td className="px-3 text-xs font-semibold uppercase text-slate-500 dark:text-slate-400">
                    HAProxy
                  </td>
                  <td
                    colSpan={5}
                    className={`max-w-2xl truncate px-3 italic ${/ is DOWN|ALERT|dropped/.test(r.raw ?? '') ? 'text-red-700 dark:text-red-400' : 'text-slate-600 dark:text-slate-300'}`}
                    title={r.raw ?? ''}
                  >
                    {r.raw}
                  </td>
                </>
              ) : (
                <>
                  <td
                    className={`px-3 font-medium ${(r.status ?? 0) >= 500 ? 'text-red-700 dark:text-red-400' : (r.status ?? 0) >= 400 ? 'text-amber-700 dark:text-amber-400' : ''}`}
                  >
                    {r.status ?? (r.parseError ? 'raw' : '-')}
                  </td>
                  <td className="px-3">{r.method ?? ''}</td>
                  <td className="max-w-md truncate px-3" title={r.url ?? r.raw ?? ''}>
                    {r.url ?? r.raw ?? ''}
                  </td>
                  <td className="whitespace-nowrap px-3">
                    {[r.backend, r.server].filter(Boolean).join(' / ')}
                  </td>
                  <td className="px-3">{r.clientIp ?? ''}</td>
                  <td className="whitespace-nowrap px-3">
                    {r.timers.total === null ? '' : `${r.timers.total} ms`}
                  </td>
                </>
              )}
            </tr>
          ))}
          {w.padBottom > 0 && <tr aria-hidden style={{ height: w.padBottom }} />}
        </tbody>
      </table>
    </div>
  );
}
