import { LogQuery, TandemError } from '@tandem/core';
import { parse } from './routeParsing.js';
import type { Route } from './router.js';
import type { RouteDeps } from './routes.js';

const CSV_COLUMNS = [
  'id',
  'at',
  'frontend',
  'backend',
  'server',
  'clientIp',
  'status',
  'method',
  'url',
  'bytes',
  'termination',
  'parseError',
] as const;

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

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
        'Log lines as NDJSON (format=ndjson) or CSV (format=csv), newest first, at most 100,000',
      text: true,
      handler: ({ query }) => {
        const params = new URLSearchParams(query);
        const format = params.get('format') ?? 'ndjson';
        if (format !== 'ndjson' && format !== 'csv')
          throw new TandemError('bad_request', 'format must be ndjson or csv', [
            { path: 'format', message: 'must be ndjson or csv' },
          ]);
        params.delete('format');
        params.delete('limit');
        const rows = d.logs.export(logQuery(params));
        if (format === 'ndjson') return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
        return `${[CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(','))].join('\n')}\n`;
      },
    },
  ];
}
