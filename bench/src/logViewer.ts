/**
 * The log viewer in the browser (npm run bench -- logviewer): a real unit with 10,000 requests in
 * its log store, the console, Debian's chromium. Figures: time until the first 500 rows are on
 * screen, time to load all 10,000 (500 at a time), table rows in the DOM with 10,000 loaded, and
 * the time to scroll to the end and see the last row. Reference in the same run: one
 * GET /v1/logs?limit=500 through the console server (the data the first screen needs).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StatusResponse } from '@tandem/core';
import { freeTcpPort, namedBackend, startAgent } from '@tandem/agent/testing/agentProcess';
import { startConsole } from '@tandem/web-ui/testing/consoleProcess';
import { chromium } from 'playwright';
import { percentile } from './lib/stats.js';

const LINES = Number(process.env.BENCH_LINES ?? 10_000);
const RUNS = Number(process.env.BENCH_ROUNDS ?? 5);
const PW = 'a long enough passphrase';

const get = (port: number) =>
  new Promise<void>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end();
  });

const dir = await mkdtemp(join(tmpdir(), 'tandem-bench-logviewer-'));
const agent = await startAgent(join(dir, 'unit'), await freeTcpPort());
const backend = await namedBackend('backend');
const server = await startConsole(agent.stateDir);
const base = server.base;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
try {
  // A service, and LINES requests through it (20 at a time: bounded, stops by itself).
  const port = await freeTcpPort();
  const status = () => agent.api.get<StatusResponse>('/v1/status');
  await agent.api.send('POST', '/v1/services', {
    base: (await status()).desired,
    template: 'http-load-balancing',
    params: { name: 'web', port, servers: [{ address: '127.0.0.1', port: backend.port }] },
  });
  await agent.api.send('POST', '/v1/apply', {});
  for (let sent = 0; sent < LINES; sent += 20)
    await Promise.all(Array.from({ length: Math.min(20, LINES - sent) }, () => get(port)));
  const until = Date.now() + 30_000;
  while (((await status()).logs?.stored ?? 0) < LINES && Date.now() < until)
    await new Promise((r) => setTimeout(r, 200));

  const token = /setup token (\S+)/.exec(agent.log())?.[1] ?? '';
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  const setup = await page.request.post(`${base}/api/v1/auth/setup`, {
    data: { token, name: 'ann', password: PW },
    headers: { origin: base },
  });
  if (setup.status() !== 200) throw new Error(`setup failed: ${setup.status()}`);

  const api: number[] = [];
  for (let i = 0; i < RUNS * 4; i++) {
    const t = performance.now();
    await page.request.get(`${base}/api/v1/logs?limit=500`);
    api.push(performance.now() - t);
  }
  const counted = (n: number) => `(?<!\\d)${n} requests, newest first`;
  const first: number[] = [];
  const all: number[] = [];
  const scroll: number[] = [];
  let domRows = 0;
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    await page.goto(`${base}/logs`);
    await page.getByText(new RegExp(counted(500))).waitFor();
    first.push(performance.now() - t);
    t = performance.now();
    for (let n = 1000; n <= LINES; n += 500) {
      await page.click('text=Load older requests');
      await page.getByText(new RegExp(counted(n))).waitFor();
    }
    all.push(performance.now() - t);
    domRows = await page.locator('tbody tr[tabindex]').count();
    t = performance.now();
    // The table's own scrolling box (the page itself does not scroll).
    await page
      .locator('.overflow-auto')
      .evaluate((box: { scrollTo(x: number, y: number): void; scrollHeight: number }) =>
        box.scrollTo(0, box.scrollHeight),
      );
    await page.locator(`tbody tr[aria-rowindex="${LINES + 1}"]`).waitFor();
    scroll.push(performance.now() - t);
  }
  await context.close();

  const p = (xs: number[], q: number) => percentile(xs, q).toFixed(0);
  const ref = percentile(api, 50);
  console.log(`log viewer (${LINES} requests stored, ${RUNS} runs, loopback, chromium)`);
  console.log(
    `  reference: GET /api/v1/logs?limit=500 through the console p50 ${ref.toFixed(1)} ms  p95 ${percentile(api, 95).toFixed(1)} ms`,
  );
  console.log(
    `  first 500 rows on screen (navigation) p50 ${p(first, 50)} ms  p95 ${p(first, 95)} ms  (${(percentile(first, 50) / ref).toFixed(0)}x)`,
  );
  console.log(
    `  all ${LINES} loaded, 500 at a time p50 ${p(all, 50)} ms  p95 ${p(all, 95)} ms  (${(percentile(all, 50) / ref).toFixed(0)}x)`,
  );
  console.log(
    `  scroll to the last of ${LINES} rows until it is drawn p50 ${p(scroll, 50)} ms  p95 ${p(scroll, 95)} ms`,
  );
  console.log(`  table rows in the DOM with ${LINES} loaded: ${domRows}`);
} finally {
  await browser.close();
  server.stop();
  await agent.stop();
  backend.server.close();
  await rm(dir, { recursive: true, force: true });
}
