import { EventQuery, StatsSeriesQuery } from '@tandem/core';
import { parse } from './routeParsing.js';
import type { Route } from './router.js';
import type { RouteDeps } from './routes.js';

/** Stats (snapshot, series, live stream) and the event timeline (list, live stream). */
export function createStatsRoutes(d: Pick<RouteDeps, 'stats' | 'events'>): Route[] {
  const eventQuery = (query: URLSearchParams) => parse(EventQuery, Object.fromEntries(query));
  return [
    {
      method: 'GET',
      path: '/v1/stats',
      summary:
        'The latest sample: per frontend, backend and server rates, gauges, totals and state',
      handler: () => d.stats.snapshot(),
    },
    {
      method: 'GET',
      path: '/v1/stats/entities',
      summary: 'Every entity that has a series (frontend/NAME, backend/NAME, server/BACKEND/NAME)',
      handler: () => d.stats.entities(),
    },
    {
      method: 'GET',
      path: '/v1/stats/series',
      summary:
        'A chart-ready series: entity, metrics (comma list), from/to in ms (negative from = relative), tier chosen for the window unless given',
      handler: ({ query }) => d.stats.series(parse(StatsSeriesQuery, Object.fromEntries(query))),
    },
    {
      method: 'GET',
      path: '/v1/stats/stream',
      summary: 'Live stats as server-sent events: one "stats" event per sample',
      handler: () => null,
      stream: () => {
        const start = d.stats.follow();
        return (sink) => sink.onClose(start((s) => sink.send('stats', s)));
      },
    },
    {
      method: 'GET',
      path: '/v1/events',
      summary:
        'The event timeline, newest first (after=ID: oldest first); kind, from, to, before, limit',
      handler: ({ query }) => d.events.page(eventQuery(query)),
    },
    {
      method: 'GET',
      path: '/v1/events/stream',
      summary:
        'Live events as server-sent events (event: event); resumes after Last-Event-ID or after=ID',
      handler: () => null,
      stream: ({ query, lastEventId }) => {
        const start = d.events.follow(eventQuery(query), lastEventId);
        return (sink) => sink.onClose(start((e) => sink.send('event', e, e.id)));
      },
    },
  ];
}
