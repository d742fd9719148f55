import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseHaproxyLog } from '@tandem/core';
import { describe, expect, it } from 'vitest';
import { ftsQuery, openLogStore } from './logStore.js';
import { migrate } from './migrate.js';
import { openTelemetryDb } from './openTelemetryDb.js';
import { TELEMETRY_MIGRATIONS } from './telemetrySchema.js';

const line = (
  status: number,
  host: string,
  path: string,
  fe = 'web',
  at = '21/Nov/2026:14:23:04.475',
  ua = 'curl/8',
) =>
  `<134>Nov 21 14:23:04 haproxy[1]: 198.18.0.9:4000 [${at}] ${fe} app/s1 0/0/0/4/4 ${status} 103 - - ---- 1/1/0/0/0 0/0 {${host}|${ua}} "GET ${path} HTTP/1.1"`;

/** FTS5's own check of an external-content index against its table (throws when they differ). */
function expectTextIndexInStep(db: Database.Database) {
  expect(() =>
    db.prepare("INSERT INTO logs_fts (logs_fts, rank) VALUES ('integrity-check', 1)").run(),
  ).not.toThrow();
}

function store() {
  const db = openTelemetryDb(':memory:');
  const logs = openLogStore(db);
  return { db, logs };
}

describe('log store', () => {
  it('finds the newest rows by user agent among more than 500 matching agents', () => {
    const { logs } = store();
    // 600 distinct agents that all match "crawler", one request each, oldest first.
    logs.insert(
      Array.from({ length: 600 }, (_, i) => ({
        result: parseHaproxyLog(
          line(200, 'a.example.com', `/p${i}`, 'web', undefined, `crawler/${i}`),
        ),
        receivedAt: i,
      })),
    );
    const found = logs.query({ text: 'crawler', limit: 5 });
    // The five newest, in order (a first-500-agents cut left the newest agents out).
    expect(found.map((r) => r.uri)).toEqual(['/p599', '/p598', '/p597', '/p596', '/p595']);
    expect(logs.query({ text: 'crawler', limit: 1000 })).toHaveLength(600);
  });

  it('stores parsed lines and finds them by filters and words', () => {
    const { logs } = store();
    logs.insert([
      { result: parseHaproxyLog(line(200, 'shop.example.com', '/cart')), receivedAt: 1 },
      { result: parseHaproxyLog(line(503, 'shop.example.com', '/pay')), receivedAt: 2 },
      { result: parseHaproxyLog(line(404, 'blog.example.com', '/post', 'blog')), receivedAt: 3 },
    ]);
    expect(logs.count()).toBe(3);
    expect(logs.query({ limit: 10 }).map((r) => r.uri)).toEqual(['/post', '/pay', '/cart']);
    expect(logs.query({ statusClass: 5, limit: 10 }).map((r) => r.status)).toEqual([503]);
    expect(logs.query({ frontend: 'blog', limit: 10 }).map((r) => r.url)).toEqual([
      'http://blog.example.com/post',
    ]);
    expect(logs.query({ text: 'shop', limit: 10 }).map((r) => r.uri)).toEqual(['/pay', '/cart']);
    expect(logs.query({ text: 'shop pay', limit: 10 }).map((r) => r.uri)).toEqual(['/pay']);
    // Dotted words match as a whole, not as any order of their tokens.
    expect(logs.query({ text: 'shop.example.com', limit: 10 })).toHaveLength(2);
    expect(logs.query({ text: 'example.shop', limit: 10 })).toHaveLength(0);
    // User agents are searched through their dictionary; the URL is composed back on read.
    expect(logs.query({ text: 'curl', limit: 10 })).toHaveLength(3);
    expect(logs.query({ text: 'curl cart', limit: 10 })).toHaveLength(0);
    expect(logs.query({ limit: 1 })[0]).toMatchObject({
      userAgent: 'curl/8',
      url: 'http://blog.example.com/post',
    });
    expect(logs.query({ clientPrefix: '198.18.', limit: 1 })).toHaveLength(1);
    expect(logs.query({ clientPrefix: '10.', limit: 10 })).toHaveLength(0);
  });

  it('pages with cursors both ways', () => {
    const { logs } = store();
    logs.insert(
      Array.from({ length: 5 }, (_, i) => ({
        result: parseHaproxyLog(line(200, 'h', `/${i}`)),
        receivedAt: i,
      })),
    );
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
  });

  it('keeps unparseable lines raw with the reason', () => {
    const { logs } = store();
    logs.insert([{ result: parseHaproxyLog('garbage line'), receivedAt: 42 }]);
    const [row] = logs.query({ parseErrors: true, limit: 10 });
    expect(row).toMatchObject({
      at: 42,
      raw: 'garbage line',
      parseError: 'not a syslog line',
      status: null,
    });
  });

  it('prunes by age and keeps the text index in step', () => {
    const { db, logs } = store();
    logs.insert([
      {
        result: parseHaproxyLog(
          line(200, 'old.example.com', '/a', 'web', '01/Jan/2026:00:00:00.000', 'old-bot/1'),
        ),
        receivedAt: 0,
      },
      { result: parseHaproxyLog(line(200, 'new.example.com', '/b')), receivedAt: 0 },
    ]);
    expect(logs.prune(Date.UTC(2026, 10, 21), 30 * 86_400_000, 1e12)).toBe(1);
    expect(logs.query({ text: 'old', limit: 10 })).toEqual([]);
    // The old line's user agent went with it; the one still used stayed.
    expect(db.prepare('SELECT text FROM user_agents').all()).toEqual([{ text: 'curl/8' }]);
    expect(logs.query({ text: 'new', limit: 10 })).toHaveLength(1);
    expectTextIndexInStep(db);
  });

  it('indexes every batch and drops the oldest lines with their index entries when over size', () => {
    const { db, logs } = store();
    for (let b = 0; b < 20; b++)
      logs.insert(
        Array.from({ length: 200 }, (_, i) => ({
          result: parseHaproxyLog(line(200, `b${b}.example.com`, `/item/${b}-${i}`)),
          receivedAt: 0,
        })),
      );
    expectTextIndexInStep(db);
    expect(logs.query({ text: 'b19', limit: 500 })).toHaveLength(200);
    expect(logs.query({ text: '7-123', limit: 5 })).toHaveLength(1);
    const removed = logs.prune(0, 1e15, 1);
    expect(removed).toBeGreaterThan(0);
    expect(logs.count()).toBe(4000 - removed);
    expect(logs.query({ text: 'b0', limit: 5 })).toEqual([]);
    expectTextIndexInStep(db);
  });

  it('turns user words into a safe FTS query', () => {
    expect(ftsQuery('shop "OR" NEAR(x')).toBe('"shop" "OR" "NEAR" "x"');
    expect(ftsQuery('shop.example.com')).toBe('"shop" "example" "com"');
    expect(ftsQuery('*** ()')).toBeNull();
    expect(store().logs.query({ text: '()', limit: 5 })).toEqual([]);
  });

  it('migrates a log table of the first layout without losing a line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-logs-'));
    try {
      const path = join(dir, 'telemetry.db');
      const old = new Database(path);
      migrate(old, TELEMETRY_MIGRATIONS.slice(0, 1));
      old
        .prepare(
          "INSERT INTO logs (at, kind, frontend, status, method, url, host, user_agent, uri, tls) VALUES (1, 'http', 'web', 200, 'GET', 'https://shop.example.com/cart', 'shop.example.com', 'curl/8', '/cart', 1)",
        )
        .run();
      old.close();
      const logs = openLogStore(openTelemetryDb(path));
      expect(logs.query({ text: 'cart', limit: 5 })).toMatchObject([
        { url: 'https://shop.example.com/cart', userAgent: 'curl/8', uri: '/cart' },
      ]);
      expect(logs.query({ text: 'curl', limit: 5 })).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
