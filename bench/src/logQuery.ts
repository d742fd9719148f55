/**
 * Log queries over 1,000,000 stored lines: text search and filters as the log viewer sends them,
 * p50/p95 over repeated runs, each against a reference measured in the same run: every stored
 * line read and parsed once (a query no block summary narrows, ADR 0017).
 * Usage: npm run bench -- logquery   (BENCH_LINES, default 1000000)
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBatch } from '@tandem/agent/services/logWriter';
import { openLogStore, type LogFilter } from '@tandem/agent/store/logStore';
import { readStoredLine } from '@tandem/core';
import { openTelemetryDb } from '@tandem/agent/store/openTelemetryDb';
import { percentile } from './lib/stats.js';

const LINES = Number(process.env.BENCH_LINES ?? 1_000_000);
const RUNS = 40;
const HOSTS = Array.from({ length: 20 }, (_, i) => `site${i}.example.com`);
const AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0',
  'curl/8.4.0',
  'Googlebot/2.1 (+http://www.google.com/bot.html)',
  'kube-probe/1.28',
];

/** Deterministic pseudo-random numbers, so every run stores the same lines. */
function rng(seed: number) {
  let x = seed;
  return () => (x = (x * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

/** A line as HAProxy sends it to the agent: Tandem's log format behind the ring's syslog header. */
function line(i: number, r: () => number, start: number): string {
  const at = start + Math.floor((i / LINES) * 86_400_000);
  const u = r();
  const status = u < 0.05 ? 503 : u < 0.15 ? 404 : u < 0.2 ? 302 : 200;
  const backend = r() < 0.001 ? 'rare' : `app${Math.floor(r() * 5)}`;
  const host = HOSTS[Math.floor(r() * HOSTS.length)] ?? 'x';
  const agent = AGENTS[Math.floor(r() * AGENTS.length)] ?? 'x';
  const client = `198.${18 + Math.floor(r() * 2)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`;
  const path = `/shop/item/${Math.floor(r() * 200_000)}?ref=campaign${i % 97}`;
  const fields = [
    'h1',
    client,
    '40000',
    String(at),
    'web~',
    backend,
    's1',
    '0',
    '0',
    '1',
    String(Math.floor(r() * 50)),
    String(Math.floor(r() * 60)),
    String(status),
    '1234',
    '----',
    '0',
    'hu',
    `{${host}|${agent}}`,
    `GET ${path} HTTP/1.1`,
  ];
  return `<134>Nov 21 14:23:04 unit haproxy[1]: ${fields.join('\t')}`;
}

const dir = await mkdtemp(join(tmpdir(), 'tandem-bench-logq-'));
try {
  const path = join(dir, 'telemetry.db');
  const db = openTelemetryDb(path);
  const store = openLogStore(db);
  const r = rng(42);
  const start = Date.UTC(2026, 10, 20);
  const t0 = performance.now();
  for (let i = 0; i < LINES; i += 5000) {
    const lines = Array.from({ length: Math.min(5000, LINES - i) }, (_, k) =>
      line(i + k, r, start),
    );
    writeBatch(store, [{ text: lines.join('\n'), receivedAt: start }]);
  }
  const loadSeconds = (performance.now() - t0) / 1000;
  // What the agent's indexer thread does in the background (ADR 0017): every block summarized.
  const t1 = performance.now();
  while (store.indexNext());
  const indexSeconds = (performance.now() - t1) / 1000;
  db.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = (await stat(path)).size;

  const time = (fn: () => unknown, runs = RUNS) => {
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      fn();
      ms.push(performance.now() - t);
    }
    return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
  };
  // The reference: every stored line read and parsed once (what a query no block summary can
  // narrow costs at most).
  const scan = time(() => {
    let n = 0;
    for (const b of db.prepare('SELECT id, at_min, text FROM log_blocks').iterate() as Iterable<{
      id: number;
      at_min: number;
      text: string;
    }>)
      b.text
        .split('\n')
        .forEach((l, i) => (n += readStoredLine(l, b.id + i, b.at_min).status ?? 0));
    return n;
  }, 5);
  const cases: [string, Omit<LogFilter, 'limit'>][] = [
    ['newest 100, no filter', {}],
    ['status 5xx', { statusClass: 5 }],
    ['status 404 + frontend', { status: 404, frontend: 'web' }],
    ['rare backend (0.1%)', { backend: 'rare' }],
    ['client network /16', { clientPrefix: '198.19.' }],
    ['time window (1 h, yesterday)', { from: start + 3_600_000, to: start + 7_200_000 }],
    ['text: host word', { text: 'site7' }],
    ['text: path + query word', { text: 'campaign42' }],
    ['text: rare item id', { text: '123456' }],
    ['text: user agent word', { text: 'Firefox' }],
    ['text + status 5xx', { text: 'site3.example.com', statusClass: 5 }],
    ['text, no match', { text: 'nothing-like-this' }],
    ['page 2 (cursor)', { before: LINES - 100 }],
    ['status 1xx (none stored)', { statusClass: 1 }],
    ['5xx on the rare backend (rarely one line)', { statusClass: 5, backend: 'rare' }],
  ];
  console.log(
    `log queries over ${LINES.toLocaleString('en')} stored lines (${RUNS} runs each, limit 100)`,
  );
  console.log(
    `  loaded in ${loadSeconds.toFixed(1)} s (${Math.round(LINES / loadSeconds).toLocaleString('en')} lines/s stored, one thread, idle machine), summarized in ${indexSeconds.toFixed(1)} s (${Math.round(LINES / indexSeconds).toLocaleString('en')} lines/s)`,
  );
  console.log(
    `  DB ${(bytes / 1e6).toFixed(1)} MB = ${(((bytes / LINES) * 1e6) / 1e6).toFixed(0)} MB per million lines`,
  );
  console.log(`  reference: every line read and parsed once, p50 ${scan.p50.toFixed(1)} ms`);
  for (const [name, f] of cases) {
    const t = time(() => store.query({ ...f, limit: 100 }));
    console.log(
      `  ${name.padEnd(30)} p50 ${t.p50.toFixed(1).padStart(7)} ms  p95 ${t.p95.toFixed(1).padStart(7)} ms  (p95/scan ${(t.p95 / scan.p50).toFixed(3)})`,
    );
  }
  db.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}
