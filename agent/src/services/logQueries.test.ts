import { LogQuery, TandemError, type LogRow } from '@tandem/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogFilter } from '../store/logStore.js';
import { createLogQueries, EXPORT_LIMIT } from './logQueries.js';

const row = (id: number) => ({ id, at: id * 1000 }) as LogRow;

/** A store that records each filter and answers from a list of rows (ids ascending). */
function fakeLogs(rows: LogRow[] = [], latest = 0) {
  const asked: LogFilter[] = [];
  return {
    asked,
    rows,
    latestId: () => latest,
    query(f: LogFilter): LogRow[] {
      asked.push(f);
      const after = f.after;
      const picked =
        after !== undefined
          ? rows.filter((r) => r.id > after)
          : rows.filter((r) => f.before === undefined || r.id < f.before).reverse();
      return picked.slice(0, f.limit);
    },
  };
}

const query = (q: Record<string, string>) => LogQuery.parse(q);

describe('log queries', () => {
  afterEach(() => vi.useRealTimers());

  it('asks the store in its names: a service, a web/app backend, a network, a status class', () => {
    const logs = fakeLogs();
    createLogQueries({ logs }).page(
      query({ service: 'web', backend: 'web/app', client: '198.18.0.0/16', status: '5xx' }),
    );
    expect(logs.asked).toEqual([
      { frontend: 'web', backend: 'web.app', clientPrefix: '198.18.', statusClass: 5, limit: 100 },
    ]);
  });

  it('gives the next cursor only when the page was full', () => {
    const logs = fakeLogs([row(1), row(2), row(3)]);
    const q = createLogQueries({ logs });
    expect(q.page(query({ limit: '2' }))).toEqual({ items: [row(3), row(2)], next: 2 });
    expect(q.page(query({ limit: '2', before: '2' }))).toEqual({ items: [row(1)], next: null });
  });

  it('exports newest first up to its own limit, whatever cursor the query carried', () => {
    const logs = fakeLogs([row(1), row(2)]);
    expect(createLogQueries({ logs }).export(query({ before: '2', after: '1' }))).toEqual([
      row(2),
      row(1),
    ]);
    expect(logs.asked[0]).toEqual({ limit: EXPORT_LIMIT });
  });

  it('refuses a bad network before a stream starts, naming the field', () => {
    const q = createLogQueries({ logs: fakeLogs() });
    expect(() => q.follow(query({ client: '198.18.0.0/12' }), undefined)).toThrow(
      expect.objectContaining({
        code: 'bad_request',
        fields: [expect.objectContaining({ path: 'client' })],
      }),
    );
  });

  it('follows from the newest line on, then from where it stands, until stopped', () => {
    vi.useFakeTimers();
    const logs = fakeLogs([row(1), row(2)], 2);
    const sent: number[] = [];
    const stop = createLogQueries({ logs }).follow(query({}), undefined)((r) => sent.push(r.id));
    expect(sent).toEqual([]);
    logs.rows.push(row(3), row(4));
    vi.advanceTimersByTime(250);
    expect(sent).toEqual([3, 4]);
    logs.rows.push(row(5));
    stop();
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([3, 4]);
    expect(logs.asked.map((f) => f.after)).toEqual([2, 2]);
  });

  it('resumes after the id the client last saw', () => {
    const logs = fakeLogs([row(1), row(2), row(3)], 3);
    const sent: number[] = [];
    createLogQueries({ logs }).follow(query({}), 1)((r) => sent.push(r.id))();
    expect(sent).toEqual([2, 3]);
  });

  it('says log ingest is off on a unit without it, before any stream opens', () => {
    const q = createLogQueries({ logs: null });
    for (const ask of [() => q.page(query({})), () => q.follow(query({}), undefined)])
      expect(ask).toThrow(TandemError);
    expect(() => q.export(query({}))).toThrow('log ingest is not enabled');
  });
});
