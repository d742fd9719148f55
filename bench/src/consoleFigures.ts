/**
 * The console's figures (npm run bench -- console): the console server's RSS when idle and after
 * use, the dashboard's load time on loopback in Debian's chromium, and the JavaScript each page
 * ships (gzip). Reference in the same run: a trivial API round trip through the same server.
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { freeTcpPort, startAgent } from '@tandem/agent/testing/agentProcess';
import { CONSOLE_PAGES, startConsole } from '@tandem/web-ui/testing/consoleProcess';
import { chromium } from 'playwright';
import { percentile } from './lib/stats.js';
import { get } from './lib/httpsGet.js';

const RUNS = Number(process.env.BENCH_ROUNDS ?? 20);
const PW = 'a long enough passphrase';
// Every page but setup, which only answers before the first admin exists.
const PAGES = CONSOLE_PAGES.filter((p) => p !== '/setup');

const rssMb = async (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

const dir = await mkdtemp(join(tmpdir(), 'tandem-bench-console-'));
const agent = await startAgent(join(dir, 'unit'), await freeTcpPort());
const server = await startConsole(agent.stateDir);
const base = server.base;
try {
  const token = /setup token (\S+)/.exec(agent.log())?.[1] ?? '';
  const setup = await get(
    `${base}/api/v1/auth/setup`,
    { origin: base, 'content-type': 'application/json' },
    'POST',
    JSON.stringify({ token, name: 'ann', password: PW }),
  );
  const cookie =
    String((setup.headers['set-cookie'] as string[] | undefined)?.[0] ?? '').split(';')[0] ?? '';

  await new Promise((r) => setTimeout(r, 5_000));
  const idle = await rssMb(server.pid);

  const api: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await get(`${base}/api/v1/auth/state`);
    api.push(performance.now() - t);
  }

  // JS per page: every script the page's HTML loads, gzipped (what a browser downloads).
  const js: [string, number][] = [];
  for (const p of PAGES) {
    const html = (await get(`${base}${p}`, { cookie })).body.toString();
    const srcs = [
      ...new Set([...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1] ?? '')),
    ];
    let bytes = 0;
    for (const s of srcs) bytes += gzipSync((await get(`${base}${s}`)).body).length;
    js.push([p, bytes / 1024]);
  }

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  await context.addCookies([
    { name: '__Host-tandem_session', value: cookie.split('=')[1] ?? '', url: base },
  ]);
  const page = await context.newPage();
  const load: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await page.goto(`${base}/`);
    await page.waitForSelector('[data-testid=latest-requests]');
    load.push(performance.now() - t);
  }
  await browser.close();
  const after = await rssMb(server.pid);

  const p = (xs: number[], q: number) => percentile(xs, q).toFixed(1);
  console.log(`console figures (${RUNS} runs each, loopback, this 2-core machine)`);
  console.log(
    `  reference: GET /api/v1/auth/state through the console server p50 ${p(api, 50)} ms  p95 ${p(api, 95)} ms`,
  );
  console.log(
    `  dashboard load (navigation to charts on screen, chromium) p50 ${p(load, 50)} ms  p95 ${p(load, 95)} ms  (p50/ref ${(percentile(load, 50) / percentile(api, 50)).toFixed(0)}x)`,
  );
  console.log(
    `  console server RSS: idle ${idle.toFixed(0)} MB, after ${RUNS} dashboard loads and the page fetches ${after.toFixed(0)} MB`,
  );
  console.log('  JavaScript per page (gzip, every script the page loads):');
  for (const [page_, kb] of js) console.log(`    ${page_.padEnd(10)} ${kb.toFixed(0)} KiB`);
} finally {
  server.stop();
  await agent.stop();
  await rm(dir, { recursive: true, force: true });
}
