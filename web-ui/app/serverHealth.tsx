'use client';
import { useEffect, useState } from 'react';
import type { EntitySample } from '@tandem/core';
import { api } from '../lib/api';

const COLOR: Record<string, string> = {
  UP: 'bg-emerald-500',
  DOWN: 'bg-red-500',
  MAINT: 'bg-slate-400',
  DRAIN: 'bg-amber-500',
};

/** Backends and their servers at a glance, from the sampler's latest snapshot (every 2 s). */
export function ServerHealth() {
  const [entities, setEntities] = useState<EntitySample[]>([]);
  useEffect(() => {
    const load = () =>
      void api<{ entities: EntitySample[] }>('GET', '/v1/stats')
        .then((s) => setEntities(s.entities))
        .catch(() => undefined);
    load();
    const t = setInterval(load, 2_000);
    return () => clearInterval(t);
  }, []);
  const servers = entities.filter((e) => e.type === 'server');
  const backends = entities.filter((e) => e.type === 'backend');
  return (
    <section className="mt-8">
      <h2 className="mb-2 text-lg font-medium">Backends</h2>
      {backends.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">No backends yet.</p>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2">
          {backends.map((b) => (
            <li
              key={b.key}
              className="rounded-lg border border-slate-200 bg-white p-3 text-sm dark:border-slate-800 dark:bg-slate-900"
            >
              <div className="mb-2 font-medium">{b.proxy}</div>
              <ul className="space-y-1">
                {servers
                  .filter((s) => s.proxy === b.proxy)
                  .map((s) => (
                    <li
                      key={s.key}
                      className="flex items-center gap-2"
                      title={s.check?.description ?? s.status}
                    >
                      <span
                        aria-hidden
                        className={`inline-block h-2.5 w-2.5 rounded-full ${COLOR[s.state] ?? 'bg-slate-300'}`}
                      />
                      <span>{s.name}</span>
                      <span className="text-slate-500 dark:text-slate-400">{s.state}</span>
                      {s.check && s.state === 'DOWN' && (
                        <span className="text-red-600 dark:text-red-400">
                          {s.check.description}
                        </span>
                      )}
                    </li>
                  ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
