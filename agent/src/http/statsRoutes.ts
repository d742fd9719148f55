import { chooseTier, EventQuery, StatsSeriesQuery, TandemError } from '@tandem/core';
import type { EventFilter } from '../store/eventStore.js';
import { parse } from './routeParsing.js';
import type { Route } from './router.js';
import type { RouteDeps } from './routes.js';

/** Stats (snapshot, series, live stream) and the event timeline (list, live stream). */
export function createStatsRoutes(
  d: Pick<RouteDeps, 'sampler' | 'series' | 'events' | 'tiers'>,
): Route[] {
  const samplerOrThrow = () => {
    if (!d.sampler) throw new TandemError('not_found', 'stats sampling is off on this unit');
    return d.sampler;
  };
  const eventFilter = (query: URLSearchParams): EventFilter => {
    const q = parse(EventQuery, Object.fromEntries(query));
    return {
      limit: q.limit,
      ...(q.kind !== undefined ? { kind: q.kind } : {}),
      ...(q.from !== undefined ? { from: q.from } : {}),
      ...(q.to !== undefined ? { to: q.to } : {}),
      ...(q.before !== undefined ? { before: q.before } : {}),
      ...(q.after !== undefined ? { after: q.after } : {}),
    };
  };
  return [
    {
      method: 'GET',
      path: '/v1/stats',
      summary:
        'The latest sample: per frontend, backend and server rates, gauges, totals and state',
      handler: () => samplerOrThrow().snapshot() ?? { at: null, pid: null, info: {}, entities: [] },
    },
    {
      method: 'GET',
      path: '/v1/stats/entities',
      summary: 'Every entity that has a series (frontend/NAME, backend/NAME, server/BACKEND/NAME)',
      handler: () => d.series.entities(),
    },
    {
      method: 'GET',
      path: '/v1/stats/series',
      summary:
        'A chart-ready series: entity, metrics (comma list), from/to in ms (negative from = relative), tier chosen for the window unless given',
      handler: ({ query }) => {
        const q = parse(StatsSeriesQuery, Object.fromEntries(query));
        const now = Date.now();
        const to = q.to ?? now;
        const from = q.from === undefined ? to - 600_000 : q.from < 0 ? to + q.from : q.from;
        if (from >= to)
          throw new TandemError('bad_request', 'from must be before to', [
            { path: 'from', message: 'must be before to' },
          ]);
        if (q.tier !== undefined && q.tier >= d.tiers.length)
          throw new TandemError('bad_request', `this unit has ${d.tiers.length} tiers`, [
            { path: 'tier', message: 'no such tier' },
          ]);
        const tier = q.tier ?? chooseTier(d.tiers, { from, to, now });
        const stepMs = d.tiers[tier]?.stepMs ?? 1000;
        if ((to - from) / stepMs > 20_000)
          throw new TandemError(
            'bad_request',
            'the window has more than 20,000 points at this tier',
            [{ path: 'from', message: 'narrow the window or pick a coarser tier' }],
          );
        // Points wait in the sampler for a batched write; a chart wants the latest ones too.
        d.sampler?.flush();
        return d.series.series({ entity: q.entity, tier, from, to, metrics: q.metrics });
      },
    },
    {
      method: 'GET',
      path: '/v1/stats/stream',
      summary: 'Live stats as server-sent events: one "stats" event per sample',
      handler: () => null,
      stream: () => {
        const sampler = samplerOrThrow();
        return (sink) => {
          const first = sampler.snapshot();
          if (first) sink.send('stats', first);
          sink.onClose(sampler.subscribe((s) => sink.send('stats', s)));
        };
      },
    },
    {
      method: 'GET',
      path: '/v1/events',
      summary:
        'The event timeline, newest first (after=ID: oldest first); kind, from, to, before, limit',
      handler: ({ query }) => {
        const filter = eventFilter(query);
        const items = d.events.query(filter);
        const last = items.at(-1);
        return { items, next: items.length === filter.limit && last ? last.id : null };
      },
    },
    {
      method: 'GET',
      path: '/v1/events/stream',
      summary:
        'Live events as server-sent events (event: event); resumes after Last-Event-ID or after=ID',
      handler: () => null,
      stream: ({ query, lastEventId }) => {
        const filter = eventFilter(query);
        const after = lastEventId ?? filter.after;
        return (sink) => {
          // Backfill and subscribe in one synchronous step: no event can land between them.
          if (after !== undefined)
            for (const e of d.events.query({ ...filter, after, limit: 1000 }))
              sink.send('event', e, e.id);
          sink.onClose(
            d.events.subscribe((e) => {
              if (filter.kind === undefined || e.kind === filter.kind) sink.send('event', e, e.id);
            }),
          );
        };
      },
    },
  ];
}
