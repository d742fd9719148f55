import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openLogStore } from './logStore.js';
import { migrate } from './migrate.js';
import { openTelemetryDb } from './openTelemetryDb.js';
import { TELEMETRY_MIGRATIONS } from './telemetrySchema.js';

describe('log blocks migration (migration 6)', () => {
  it('migrates log tables of the first and the fifth layout without losing a line', () => {
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
      migrate(old, TELEMETRY_MIGRATIONS.slice(0, 5));
      const ua = old.prepare('INSERT INTO user_agents (text) VALUES (\'Mozilla | "x"\')').run();
      // A row of the fifth layout: the columns given, null for the rest.
      const COLUMNS = [
        'id',
        'at',
        'kind',
        'frontend',
        'backend',
        'server',
        'client_ip',
        'client_port',
        'status',
        'method',
        'uri',
        'host',
        'ua',
        'bytes',
        't_request',
        't_queue',
        't_connect',
        't_response',
        't_total',
        'termination',
        'retries',
        'tls',
        'parse_error',
        'raw',
      ];
      const insert = old.prepare(
        `INSERT INTO logs (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`,
      );
      const row = (v: Record<string, unknown>) =>
        insert.run(Object.fromEntries(COLUMNS.map((c) => [c, v[c] ?? null])));
      row({
        id: 2,
        at: 2,
        kind: 'http',
        frontend: 'web',
        backend: 'app',
        server: 's1',
        client_ip: '198.18.0.1',
        client_port: 5,
        status: 503,
        method: 'GET',
        uri: '/a b#1',
        host: 'h.example',
        ua: ua.lastInsertRowid,
        bytes: 10,
        t_request: 1,
        t_queue: 2,
        t_connect: 3,
        t_response: 4,
        t_total: 5,
        termination: 'SC--',
        retries: 1,
        tls: 0,
      });
      row({
        id: 3,
        at: 3,
        kind: 'tcp',
        frontend: 'db',
        backend: 'pg',
        server: 'p1',
        client_ip: '198.18.0.2',
        client_port: 6,
        bytes: 20,
        t_queue: 1,
        t_connect: 2,
        t_total: 9,
        termination: '--',
        retries: 0,
        tls: 0,
      });
      row({ id: 4, at: 4, kind: 'message', raw: 'Server x is DOWN' });
      row({ id: 10, at: 10, parse_error: 'not a syslog line', raw: 'junk' });
      old.close();
      const logs = openLogStore(openTelemetryDb(path));
      expect(logs.count()).toBe(5);
      expect(logs.query({ limit: 10 })).toMatchObject([
        { id: 10, at: 10, parseError: 'not a syslog line', raw: 'junk' },
        { id: 4, at: 4, kind: 'message', raw: 'Server x is DOWN' },
        {
          id: 3,
          kind: 'tcp',
          frontend: 'db',
          backend: 'pg',
          server: 'p1',
          bytes: 20,
          timers: { queue: 1, connect: 2, total: 9 },
        },
        {
          id: 2,
          at: 2,
          status: 503,
          uri: '/a b#1',
          userAgent: 'Mozilla | "x"',
          clientIp: '198.18.0.1',
          timers: { request: 1, queue: 2, connect: 3, response: 4, total: 5 },
          termination: 'SC--',
          retries: 1,
        },
        { id: 1, url: 'https://shop.example.com/cart', userAgent: 'curl/8', uri: '/cart' },
      ]);
      expect(logs.query({ text: 'cart', limit: 5 })).toHaveLength(1);
      expect(logs.query({ text: 'mozilla', limit: 5 }).map((r) => r.id)).toEqual([2]);
      expect(logs.latestId()).toBe(10);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
