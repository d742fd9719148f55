import { toStoredLine } from '@tandem/core';
import { describe, expect, it } from 'vitest';
import { BLOCK_MIN, openLogStore } from './logStore.js';
import { openTelemetryDb } from './openTelemetryDb.js';

const AT = Date.UTC(2026, 10, 21, 14, 23, 4, 475);

/** A line as HAProxy sends it with Tandem's log format (captures Host and User-Agent). */
const line = (
  status: number,
  host: string,
  path: string,
  o: { fe?: string; be?: string; at?: number; ua?: string; client?: string } = {},
) =>
  `<134>Nov 21 14:23:04 haproxy[1]: h1\t${o.client ?? '198.18.0.9'}\t4000\t${o.at ?? AT}\t${o.fe ?? 'web'}\t${o.be ?? 'app'}\ts1\t0\t0\t0\t4\t4\t${status}\t103\t----\t0\thu\t{${host}|${o.ua ?? 'curl/8'}}\tGET ${path} HTTP/1.1`;

function store() {
  const db = openTelemetryDb(':memory:');
  const logs = openLogStore(db);
  /** Stores lines as the writer does, then summarizes them as the indexer does. */
  const add = (raw: string[], receivedAt = 0) => {
    logs.append(
      raw.map((r) => toStoredLine(r, receivedAt)),
      receivedAt,
    );
    while (logs.indexNext());
  };
  return { db, logs, add };
}

describe('log store', () => {
  it('finds the newest rows by user agent among more than 500 matching agents', () => {
    const { logs, add } = store();
    add(
      Array.from({ length: 600 }, (_, i) =>
        line(200, 'a.example.com', `/p${i}`, { ua: `crawler/${i}` }),
      ),
    );
    const found = logs.query({ text: 'crawler', limit: 5 });
    expect(found.map((r) => r.uri)).toEqual(['/p599', '/p598', '/p597', '/p596', '/p595']);
    expect(logs.query({ text: 'crawler', limit: 1000 })).toHaveLength(600);
  });

  it('stores lines and finds them by filters and words', () => {
    const { logs, add } = store();
    add([
      line(200, 'shop.example.com', '/cart'),
      line(503, 'shop.example.com', '/pay', { be: 'pay', client: '198.18.0.10' }),
      line(404, 'blog.example.com', '/post', { fe: 'blog' }),
    ]);
    expect(logs.count()).toBe(3);
    expect(logs.query({ limit: 10 }).map((r) => r.uri)).toEqual(['/post', '/pay', '/cart']);
    expect(logs.query({ statusClass: 5, limit: 10 }).map((r) => r.status)).toEqual([503]);
    expect(logs.query({ status: 404, limit: 10 }).map((r) => r.uri)).toEqual(['/post']);
    expect(logs.query({ backend: 'pay', limit: 10 }).map((r) => r.uri)).toEqual(['/pay']);
    expect(logs.query({ server: 's1', method: 'GET', limit: 10 })).toHaveLength(3);
    expect(logs.query({ method: 'POST', limit: 10 })).toEqual([]);
    expect(logs.query({ frontend: 'blog', limit: 10 }).map((r) => r.url)).toEqual([
      'http://blog.example.com/post',
    ]);
    expect(logs.query({ text: 'shop', limit: 10 }).map((r) => r.uri)).toEqual(['/pay', '/cart']);
    expect(logs.query({ text: 'shop pay', limit: 10 }).map((r) => r.uri)).toEqual(['/pay']);
    // Dotted words match as a whole, not as any order of their tokens; a word is a whole word.
    expect(logs.query({ text: 'shop.example.com', limit: 10 })).toHaveLength(2);
    expect(logs.query({ text: 'example.shop', limit: 10 })).toHaveLength(0);
    expect(logs.query({ text: 'car', limit: 10 })).toHaveLength(0);
    expect(logs.query({ text: 'CART', limit: 10 })).toHaveLength(1);
    expect(logs.query({ text: 'curl', limit: 10 })).toHaveLength(3);
    expect(logs.query({ text: 'curl cart', limit: 10 })).toHaveLength(0);
    expect(logs.query({ text: '()', limit: 10 })).toEqual([]);
    expect(logs.query({ limit: 1 })[0]).toMatchObject({
      at: AT,
      kind: 'http',
      userAgent: 'curl/8',
      url: 'http://blog.example.com/post',
      timers: { request: 0, queue: 0, connect: 0, response: 4, total: 4 },
      bytes: 103,
      termination: '----',
      retries: 0,
      clientPort: 4000,
    });
    expect(logs.query({ clientPrefix: '198.18.', limit: 10 })).toHaveLength(3);
    // A whole address is that address, not every one it prefixes (198.18.0.1 is not .10).
    expect(logs.query({ clientPrefix: '198.18.0.1', limit: 10 })).toHaveLength(0);
    expect(logs.query({ clientPrefix: '198.18.0.10', limit: 10 })).toHaveLength(1);
    expect(logs.query({ clientPrefix: '10.', limit: 10 })).toHaveLength(0);
    expect(logs.query({ from: AT + 1, limit: 10 })).toHaveLength(0);
    expect(logs.query({ from: AT, to: AT + 1, limit: 10 })).toHaveLength(3);
  });

  it('pages with cursors both ways, across blocks', () => {
    const { logs, add } = store();
    for (let i = 0; i < 5; i++) add([line(200, 'h', `/${i}`)]);
    const first = logs.query({ limit: 2 });
    expect(first.map((r) => r.uri)).toEqual(['/4', '/3']);
    expect(logs.query({ limit: 2, before: first.at(-1)!.id }).map((r) => r.uri)).toEqual([
      '/2',
      '/1',
    ]);
    expect(logs.query({ limit: 10, after: first[0]!.id - 2 }).map((r) => r.uri)).toEqual([
      '/3',
      '/4',
    ]);
    expect(logs.latestId()).toBe(first[0]!.id);
  });

  it('keeps unparseable lines raw with the reason, and notices as messages', () => {
    const { logs, add } = store();
    logs.append([toStoredLine('garbage line', 42)], 42);
    expect(logs.indexNext()).toEqual({ lines: 1, errors: 1 });
    add(['<129>Nov 21 14:27:17 haproxy[6]: Server web.app/s1 is DOWN, reason: #22x#22'], 43);
    expect(logs.query({ parseErrors: true, limit: 10 })).toMatchObject([
      { at: 42, raw: 'garbage line', parseError: 'not a syslog line', status: null },
    ]);
    expect(logs.query({ limit: 1 })[0]).toMatchObject({
      at: 43,
      kind: 'message',
      raw: 'Server web.app/s1 is DOWN, reason: "x"',
      parseError: null,
    });
  });

  it('answers from blocks the indexer has not summarized yet, and summarizes newest first', () => {
    const { logs } = store();
    const put = (path: string) =>
      logs.append([toStoredLine(line(200, 'p.example.com', path), 0)], 0);
    put('/first');
    put('/second');
    expect(logs.pendingBlocks()).toBe(2);
    expect(logs.query({ text: 'second', limit: 5 }).map((r) => r.uri)).toEqual(['/second']);
    expect(logs.query({ backend: 'app', limit: 5 })).toHaveLength(2);
    expect(logs.indexNext()).toEqual({ lines: 1, errors: 0 });
    expect(logs.pendingBlocks()).toBe(1);
    // The newest was done first: a query for the older one still reads its block.
    expect(logs.query({ text: 'first', limit: 5 }).map((r) => r.uri)).toEqual(['/first']);
    expect(logs.indexNext()).not.toBeNull();
    expect(logs.indexNext()).toBeNull();
    expect(logs.query({ text: 'first', limit: 5 }).map((r) => r.uri)).toEqual(['/first']);
    expect(logs.query({ text: 'third', limit: 5 })).toEqual([]);
  });

  it('finds rows by a value other fields share, once each, within a cursor', () => {
    const { logs, add } = store();
    // Status 200 with a total time of 200 ms: the value appears twice in each line.
    const twice = (path: string, status: number) =>
      line(status, 'h.example.com', path).replace('\t4\t4\t', '\t4\t200\t');
    add(Array.from({ length: 10 }, (_, i) => twice(`/n${i}`, i % 2 ? 200 : 404)));
    const rows = logs.query({ status: 200, limit: 100 });
    expect(rows.map((r) => r.uri)).toEqual(['/n9', '/n7', '/n5', '/n3', '/n1']);
    expect(rows.map((r) => r.id)).toEqual([10, 8, 6, 4, 2]);
    expect(logs.query({ status: 200, before: 6, limit: 100 }).map((r) => r.id)).toEqual([4, 2]);
    expect(logs.query({ status: 200, after: 4, limit: 100 }).map((r) => r.id)).toEqual([6, 8, 10]);
    expect(logs.query({ status: 404, limit: 2 }).map((r) => r.uri)).toEqual(['/n8', '/n6']);
  });

  it('still reads httplog lines from a worker started before the format changed', () => {
    const { logs, add } = store();
    add([
      '<134>Nov 21 14:23:04 haproxy[1]: 198.18.0.9:4000 [21/Nov/2026:14:23:04.475] web app/s1 0/0/0/4/4 200 103 - - ---- 1/1/0/0/0 0/0 {old.example.com|curl/7} "GET /old HTTP/1.1"',
    ]);
    expect(logs.query({ text: 'old', backend: 'app', limit: 5 })).toMatchObject([
      { at: AT, url: 'http://old.example.com/old', userAgent: 'curl/7', status: 200 },
    ]);
  });

  it('merges small blocks without renumbering a line, and finds a rare value among many', () => {
    const { db, logs, add } = store();
    // A quiet unit: one line per batch, 64+ distinct backends (too many for the summary).
    for (let i = 0; i < BLOCK_MIN + 10; i++)
      add([line(200, 'h.example.com', `/item/${i}`, { be: i === 500 ? 'rare' : `b${i % 100}` })]);
    const blocks = db.prepare('SELECT COUNT(*) FROM log_blocks').pluck().get() as number;
    expect(blocks).toBeLessThan(20);
    expect(logs.count()).toBe(BLOCK_MIN + 10);
    expect(logs.query({ backend: 'rare', limit: 5 }).map((r) => [r.id, r.uri])).toEqual([
      [501, '/item/500'],
    ]);
    expect(logs.query({ text: '777', limit: 5 }).map((r) => r.id)).toEqual([778]);
    expect(logs.latestId()).toBe(BLOCK_MIN + 10);
  });

  it('finds two values that share few lines across blocks, with codes and without', () => {
    const { db, logs, add } = store();
    // Three blocks, each with 5xx lines and lines of the rare backend; only the middle one has
    // a 5xx on the rare backend. The first block's summary is from before migration 7 (no codes).
    for (let b = 0; b < 3; b++)
      add(
        Array.from({ length: 200 }, (_, i) =>
          line(i % 10 === 0 ? 503 : 200, 'h.example.com', `/b${b}/${i}`, {
            be: i === 5 || (b === 1 && i === 30) ? 'rare' : 'app',
          }),
        ),
      );
    const codes = db.prepare('SELECT id, length(codes) AS bytes FROM log_summaries ORDER BY id');
    expect(codes.all()).toEqual([
      { id: 1, bytes: 1000 },
      { id: 201, bytes: 1000 },
      { id: 401, bytes: 1000 },
    ]);
    db.prepare('UPDATE log_summaries SET codes = NULL WHERE id = 1').run();
    const rare5xx = { backend: 'rare', statusClass: 5, limit: 10 };
    expect(logs.query(rare5xx).map((r) => [r.id, r.uri, r.status])).toEqual([[231, '/b1/30', 503]]);
    expect(logs.query({ ...rare5xx, status: 200 })).toEqual([]);
    expect(logs.query({ backend: 'rare', limit: 10 }).map((r) => r.uri)).toEqual([
      '/b2/5',
      '/b1/30',
      '/b1/5',
      '/b0/5',
    ]);
  });

  it('prunes whole blocks by age and by size, and never hands a line id out twice', () => {
    const { logs, add } = store();
    add([line(200, 'old.example.com', '/a', { at: Date.UTC(2026, 0, 1) })]);
    for (let b = 0; b < 20; b++)
      add(
        Array.from({ length: BLOCK_MIN }, (_, i) =>
          line(200, `b${b}.example.com`, `/item/${b}-${i}`),
        ),
      );
    expect(logs.prune(Date.UTC(2026, 10, 22), 30 * 86_400_000, 1e12)).toBe(1);
    expect(logs.query({ text: 'old', limit: 10 })).toEqual([]);
    expect(logs.query({ text: 'b19', limit: 5000 })).toHaveLength(BLOCK_MIN);
    expect(logs.query({ text: '7-123', limit: 5 })).toHaveLength(1);
    const removed = logs.prune(0, 1e15, 1);
    expect(removed).toBeGreaterThan(0);
    expect(logs.count()).toBe(20 * BLOCK_MIN - removed);
    expect(logs.query({ text: 'b0', limit: 5 })).toEqual([]);
    // Everything old: the newest block stays, so the next line's id follows the last one.
    const last = logs.latestId();
    expect(logs.prune(Date.UTC(2027, 0, 1), 1, 1e12)).toBeGreaterThan(0);
    add([line(200, 'n.example.com', '/next')]);
    expect(logs.query({ limit: 1 })[0]?.id).toBe(last + 1);
  });
});
