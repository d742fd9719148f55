import { LogQuery, TandemError } from '@tandem/core';
import { logsAsCsv, logsAsNdjson } from '../services/logExport.js';
import { parse } from './routeParsing.js';
import type { Download, Route } from './router.js';
import type { RouteDeps } from './routes.js';

const logQuery = (query: URLSearchParams) => parse(LogQuery, Object.fromEntries(query));

/** GET /v1/logs, its live tail and its export: HTTP in front of the log query service. */
export function createLogRoutes(d: Pick<RouteDeps, 'logs'>): Route[] {
  return [
    {
      method: 'GET',
      path: '/v1/logs',
      summary:
        'Log lines, newest first (after=ID: oldest first, for following); filters as query parameters',
      handler: ({ query }) => d.logs.page(logQuery(query)),
    },
    {
      method: 'GET',
      path: '/v1/logs/stream',
      summary:
        'Live tail as server-sent events (event: log, id: line id); same filters; resumes after Last-Event-ID or after=ID',
      handler: () => null,
      stream: ({ query, lastEventId }) => {
        const start = d.logs.follow(logQuery(query), lastEventId);
        return (sink) => sink.onClose(start((r) => sink.send('log', r, r.id)));
      },
    },
    {
      method: 'GET',
      path: '/v1/logs/export',
      summary:
        'Log lines as a file to save: NDJSON (format=ndjson) or CSV (format=csv), every field, ISO times, newest first, at most 100,000',
      download: true,
      handler: ({ query }): Download => {
        const params = new URLSearchParams(query);
        const format = params.get('format') ?? 'ndjson';
        if (format !== 'ndjson' && format !== 'csv')
          throw new TandemError('bad_request', 'format must be ndjson or csv', [
            { path: 'format', message: 'must be ndjson or csv' },
          ]);
        params.delete('format');
        params.delete('limit');
        const rows = d.logs.export(logQuery(params));
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        return format === 'csv'
          ? {
              body: logsAsCsv(rows),
              contentType: 'text/csv; charset=utf-8',
              filename: `tandem-logs-${stamp}.csv`,
            }
          : {
              body: logsAsNdjson(rows),
              contentType: 'application/x-ndjson; charset=utf-8',
              filename: `tandem-logs-${stamp}.ndjson`,
            };
      },
    },
  ];
}
