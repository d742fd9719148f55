'use client';
import { useEffect, useState } from 'react';
import type { ReferenceField } from '@tandem/core';
import { api } from '../../lib/api';
import { referenceAnchor } from '../../lib/servicePath';
import { Loading } from '../loadingScreen';
import { Nav } from '../nav';
import { inputClass, PAGE_FRAME } from '../ui';
import { useSession } from '../useSession';

/**
 * Every field of a service as the agent validates it (the model the JSON editor edits): type,
 * what it must be, its default and help, from the same schemas the agent checks with. A link
 * from an error lands on its row, highlighted.
 */
export default function ReferencePage() {
  const session = useSession();
  const [rows, setRows] = useState<ReferenceField[] | null>(null);
  const [q, setQ] = useState('');
  useEffect(() => {
    if (session) void api<ReferenceField[]>('GET', '/v1/reference/service').then(setRows);
  }, [session]);
  // The row the address names (#field-…). The rows come after the page loads, too late for the
  // browser's own :target and scroll, so the page marks and scrolls to it itself.
  const [target, setTarget] = useState('');
  useEffect(() => {
    const hash = () => setTarget(decodeURIComponent(window.location.hash.slice(1)));
    hash();
    window.addEventListener('hashchange', hash);
    return () => window.removeEventListener('hashchange', hash);
  }, []);
  useEffect(() => {
    if (rows && target) document.getElementById(target)?.scrollIntoView({ block: 'center' });
  }, [rows, target]);

  if (!session || !rows) return <Loading />;
  const words = q.trim().toLowerCase();
  const shown = words
    ? rows.filter((r) => `${r.path} ${r.label ?? ''} ${r.help ?? ''}`.toLowerCase().includes(words))
    : rows;
  return (
    <div className={`${PAGE_FRAME} text-sm`}>
      <Nav session={session} />
      <h1 className="mb-1 text-xl font-semibold">Service model reference</h1>
      <p className="mb-4 text-slate-500 dark:text-slate-400">
        Every field of a service, as the advanced (JSON) editor and the API take it. Lists are
        written as <code>binds[0].port</code> in errors and as <code>binds.port</code> here.
      </p>
      <label className="mb-3 flex max-w-xs flex-col">
        <span className="mb-1 text-xs text-slate-500 dark:text-slate-400">Find a field</span>
        <input
          name="q"
          type="search"
          autoComplete="off"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          className={inputClass}
        />
      </label>
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
        {shown.map((r) => {
          const cut = r.path.lastIndexOf('.');
          const id = referenceAnchor(r.path);
          return (
            <li
              key={r.path}
              id={id}
              aria-current={id === target ? 'location' : undefined}
              className="px-3 py-2 aria-[current]:bg-amber-50 dark:aria-[current]:bg-amber-950"
            >
              <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
                <code className="break-all font-mono">
                  <span className="text-slate-500 dark:text-slate-400">
                    {r.path.slice(0, cut + 1)}
                  </span>
                  <span className="font-semibold">{r.path.slice(cut + 1)}</span>
                </code>
                <span className="text-slate-600 dark:text-slate-300">{r.type}</span>
                {r.required && (
                  <span className="text-xs text-red-700 dark:text-red-400">required</span>
                )}
                {r.default !== undefined && (
                  <span className="text-xs text-slate-500 dark:text-slate-400">
                    default <code className="break-all font-mono">{JSON.stringify(r.default)}</code>
                  </span>
                )}
              </div>
              {(r.label ?? r.help) && (
                <p className="mt-0.5">
                  {r.label && <span className="font-medium">{r.label}</span>}
                  {r.unit && (
                    <span className="text-slate-600 dark:text-slate-400"> ({r.unit})</span>
                  )}
                  {r.label && r.help && ': '}
                  {r.help && <span className="text-slate-600 dark:text-slate-400">{r.help}</span>}
                </p>
              )}
              {r.rule && (
                <p className="mt-0.5 break-all font-mono text-xs text-slate-500 dark:text-slate-400">
                  {r.rule}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
