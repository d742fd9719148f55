import {
  backendFilterName,
  clientPrefix,
  frontendName,
  TandemError,
  type LogQuery,
  type LogRow,
} from '@tandem/core';
import type { LogFilter, LogStore } from '../store/logStore.js';
import { pageOf, type Follow, type Page } from './page.js';

/** What an export holds at most: a file a spreadsheet still opens, not the whole store. */
export const EXPORT_LIMIT = 100_000;
/** Lines a live tail sends per poll: a slow client falls behind, the agent does not buffer. */
const FOLLOW_BATCH = 500;
const FOLLOW_POLL_MS = 250;

/** The store's filter for a query as the API takes it (names as the console shows them). */
export function logFilter(q: LogQuery): LogFilter {
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

/**
 * The log viewer's and `tandemctl logs`' questions, answered from the telemetry DB: a page, an
 * export, a live tail. Null store: this unit does not ingest logs, and every question says so.
 */
export function createLogQueries(o: { logs: Pick<LogStore, 'query' | 'latestId'> | null }) {
  const store = () => {
    if (!o.logs) throw new TandemError('not_found', 'log ingest is not enabled on this unit');
    return o.logs;
  };
  return {
    page(q: LogQuery): Page<LogRow> {
      const filter = logFilter(q);
      return pageOf(store().query(filter), filter.limit);
    },
    /** Newest first, at most EXPORT_LIMIT lines; the query's own limit and cursor do not apply. */
    export(q: LogQuery): LogRow[] {
      const filter = logFilter(q);
      delete filter.before;
      delete filter.after;
      return store().query({ ...filter, limit: EXPORT_LIMIT });
    },
    /**
     * A live tail: lines after `after` (default: from now on), oldest first. Validates at once,
     * so a bad filter is an error before the stream opens; the returned start function sends to
     * `send` until the function it returns stops it.
     */
    follow(q: LogQuery, after: number | undefined): Follow<LogRow> {
      const logs = store();
      const filter = logFilter(q);
      delete filter.before;
      let cursor = after ?? filter.after ?? logs.latestId();
      return (send) => {
        const poll = () => {
          for (const row of logs.query({ ...filter, after: cursor, limit: FOLLOW_BATCH })) {
            send(row);
            cursor = row.id;
          }
        };
        poll();
        const timer = setInterval(poll, FOLLOW_POLL_MS);
        return () => clearInterval(timer);
      };
    },
  };
}
export type LogQueries = ReturnType<typeof createLogQueries>;
