import { backendFilterName, clientPrefix, frontendName, LogQuery, TandemError } from '@tandem/core';
import type { LogFilter } from '../store/logStore.js';
import { parse } from './routeParsing.js';
import type { Route } from './router.js';
import type { RouteDeps } from './routes.js';

/** GET /v1/logs and its export: the log viewer's and `tandemctl logs`' view of the telemetry DB. */
function logFilter(query: URLSearchParams): LogFilter {
  const q = parse(LogQuery, Object.fromEntries(query));
  const status = q.status;
  return {
    ...(q.from !== undefined ? { from: q.from } : {}),
    ...(q.to !== undefined ? { to: q.to } : {}),
    ...(status?.endsWith('xx')
      ? { statusClass: Number(status[0]) }
      : status
        ? { status: Number(status) }
        : {}),
    ...(q.service || q.frontend ? { frontend: frontendName(q.service ?? q.frontend ?? '') } : {}),
    ...(q.backend ? { backend: backendFilterName(q.backend) } : {}),
    ...(q.server ? { server: q.server } : {}),
    ...(q.client ? { clientPrefix: clientPrefix(q.client) } : {}),
    ...(q.method ? { method: q.method } : {}),
    ...(q.q ? { text: q.q } : {}),
    ...(q.errors ? { parseErrors: true } : {}),
    ...(q.before !== undefined ? { before: q.before } : {}),
    ...(q.after !== undefined ? { after: q.after } : {}),
    limit: q.limit,
  };
}

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

export function createLogRoutes(d: Pick<RouteDeps, 'logs'>): Route[] {
  const logsOrThrow = () => {
    if (!d.logs) throw new TandemError('not_found', 'log ingest is not enabled on this unit');
    return d.logs;
  };
  return [
    {
      method: 'GET',
      path: '/v1/logs',
      summary:
        'Log lines, newest first (after=ID: oldest first, for following); filters as query parameters',
      handler: ({ query }) => {
        const filter = logFilter(query);
        const items = logsOrThrow().query(filter);
        const last = items.at(-1);
        return { items, next: items.length === filter.limit && last ? last.id : null };
      },
    },
    {
      method: 'GET',
      path: '/v1/logs/stream',
      summary:
        'Live tail as server-sent events (event: log, id: line id); same filters; resumes after Last-Event-ID or after=ID',
      handler: () => null,
      stream: ({ query, lastEventId }) => {
        const store = logsOrThrow();
        const filter = logFilter(query);
        delete filter.before;
        let after = lastEventId ?? filter.after ?? store.latestId();
        return (sink) => {
          const poll = () => {
            // At most 500 lines a poll: a slow client falls behind, the agent does not buffer.
            for (const row of store.query({ ...filter, after, limit: 500 })) {
              sink.send('log', row, row.id);
              after = row.id;
            }
          };
          poll();
          const timer = setInterval(poll, 250);
          sink.onClose(() => clearInterval(timer));
        };
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
          throw new TandemError('bad_request', 'format must be ndjson or csv');
        params.delete('format');
        params.delete('limit');
        const rows = logsOrThrow().query({ ...logFilter(params), limit: 100_000 });
        if (format === 'ndjson') return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
        return `${[CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(','))].join('\n')}\n`;
      },
    },
  ];
}
