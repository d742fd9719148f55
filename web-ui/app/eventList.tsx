import type { EventRow } from '@tandem/core';

/** A piece of the event timeline: when, (optionally) what kind, and what happened, errors in red. */
export function EventList(p: {
  title: string;
  events: EventRow[];
  empty: string;
  /** The dashboard mixes kinds and shows them; the cluster page shows VRRP only. */
  showKind?: boolean;
  /** Today's events read best as times; a timeline over days needs dates. */
  withDate?: boolean;
}) {
  return (
    <section className="mt-8">
      <h2 className="mb-2 text-lg font-medium">{p.title}</h2>
      {p.events.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">{p.empty}</p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded border border-slate-200 bg-white text-sm dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
          {p.events.map((e) => (
            <li key={e.id} className="flex gap-3 px-3 py-2">
              <time className="shrink-0 text-slate-500 dark:text-slate-400">
                {p.withDate ? new Date(e.at).toLocaleString() : new Date(e.at).toLocaleTimeString()}
              </time>
              {p.showKind && <span className="shrink-0 font-medium">{e.kind}</span>}
              <span className={e.severity === 'error' ? 'text-red-700 dark:text-red-400' : ''}>
                {e.message}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
