'use client';
import { LiveState, useLiveEntities } from './liveServers';

/** Backends and their servers at a glance, from the sampler's latest snapshot (every 2 s). */
export function ServerHealth() {
  const entities = useLiveEntities();
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
                    <li key={s.key} className="flex items-center gap-2">
                      <span>{s.name}</span>
                      <LiveState server={s} />
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
