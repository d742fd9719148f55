/**
 * Log ingest: HAProxy generates the lines (one per request through a logged service, each with a
 * distinct path and a browser User-Agent) and the agent ingests them (ring over TCP, ADR 0008;
 * blocks and a background indexer, ADR 0017). wrk phases at each of BENCH_CONNECTIONS (default 8
 * and 50: a load that leaves the agent its share of the two cores, then the machine saturated),
 * a client paced at about 5,000 requests/s, then a replay phase: lines a second HAProxy wrote in
 * this run, sent to the agent's log port at BENCH_RATE lines/s (default 50,000: more than HAProxy
 * can proxy on this machine while the agent shares its cores). Each phase prints lines sent vs
 * stored and the agent's CPU per 1,000 lines; the end, bytes per stored line.
 * Usage: npm run bench -- logs   (BENCH_SECONDS per phase, default 60)
 */
import { stat } from 'node:fs/promises';
import { request, Agent } from 'node:http';
import { createServer, connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { openLogStore } from '@tandem/agent/store/logStore';
import { openTelemetryDb } from '@tandem/agent/store/openTelemetryDb';
import { compactLogFormat, quoteWord, type StatusResponse } from '@tandem/core';
import { cpuSeconds, threadCpu } from './lib/cpu.js';
import { MINIMAL_PREAMBLE, startHaproxyWith, staticBackendConfig } from './lib/staticBackend.js';
import { desired, startUnit } from './lib/unit.js';
import { VARIED_REQUESTS_LUA, wrk } from './lib/wrk.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const BACKEND = 19501;
const SERVICE = 19500;
/** wrk connection counts, one phase each (BENCH_CONNECTIONS=8,50). */
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '8,50').split(',').map(Number);
/** The replay phase's rate, lines per second (0: no replay phase). */
const RATE = Number(process.env.BENCH_RATE ?? 50_000);
const CAPTURE = 19503;
const CAPTURE_SINK = 19504;

/**
 * Real lines to replay: a second HAProxy with the service's log format, its ring forwarded to
 * this process, answers a few seconds of wrk's varied requests.
 */
async function captureLines(): Promise<string[]> {
  const lines: string[] = [];
  let partial = '';
  const sink = createServer((s) => {
    s.setEncoding('utf8');
    s.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts.filter((l) => l !== ''));
    });
  });
  await new Promise<void>((r) => sink.listen(CAPTURE_SINK, '127.0.0.1', r));
  const format = quoteWord(compactLogFormat('http', { host: true, userAgent: true }));
  const proxy = await startHaproxyWith(
    [
      ...MINIMAL_PREAMBLE.slice(0, 2),
      '    log ring@capture local0 info',
      'ring capture',
      '    format rfc3164',
      '    maxlen 16384',
      '    size 4194304',
      '    timeout connect 5s',
      '    timeout server 10s',
      `    server bench 127.0.0.1:${CAPTURE_SINK}`,
      ...MINIMAL_PREAMBLE.slice(2),
      '    log global',
      'frontend web',
      `    bind 127.0.0.1:${CAPTURE}`,
      '    capture request header Host len 64',
      '    capture request header User-Agent len 128',
      `    log-format ${format}`,
      '    http-request return status 200 content-type text/plain string ok',
      '',
    ].join('\n'),
    CAPTURE,
  );
  await wrk(`http://127.0.0.1:${CAPTURE}/`, {
    seconds: 3,
    connections: 8,
    threads: 1,
    lua: VARIED_REQUESTS_LUA,
  });
  await new Promise((r) => setTimeout(r, 1000));
  await proxy.stop();
  sink.close();
  if (lines.length < 1000) throw new Error(`only ${lines.length} lines captured`);
  return lines;
}

/** Sends `lines` over and over to the agent's log port at `rate` lines/s for `seconds`. */
async function replay(
  port: number,
  lines: string[],
  rate: number,
  seconds: number,
): Promise<number> {
  const sock: Socket = connect(port, '127.0.0.1');
  await new Promise<void>((r, reject) => sock.once('connect', r).once('error', reject));
  const tickMs = 10;
  const perTick = Math.round((rate * tickMs) / 1000);
  const start = Date.now();
  let sent = 0;
  let at = 0;
  while (Date.now() - start < seconds * 1000) {
    // Paced by the clock: a tick that comes late sends what the rate owes by now.
    const owed = Math.floor(((Date.now() - start) / 1000) * rate) - sent;
    const n = Math.min(Math.max(owed, 0), perTick * 10);
    if (n > 0) {
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push(lines[(at + i) % lines.length] ?? '');
      at = (at + n) % lines.length;
      sent += n;
      // TCP pushes back when the agent reads slower than this: wait, as HAProxy's ring would.
      if (!sock.write(`${out.join('\n')}\n`)) await new Promise((r) => sock.once('drain', r));
    }
    await new Promise((r) => setTimeout(r, tickMs));
  }
  await new Promise<void>((r) => sock.end(r));
  return sent;
}

async function stored(
  unit: Awaited<ReturnType<typeof startUnit>>,
): Promise<{ stored: number; dropped: number; received: number }> {
  // Wait until the ingest queue has drained and the count stops moving.
  let last = -1;
  for (;;) {
    const s = (await unit.agent.api.get<StatusResponse>('/v1/status')).logs;
    if (!s) throw new Error('log ingest is off');
    if (s.queued === 0 && s.stored === last) return s;
    last = s.stored;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** About `rate` requests per second for `seconds`, over keep-alive connections; returns the count answered. */
async function paced(rate: number, seconds: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 50 });
  let answered = 0;
  const end = Date.now() + seconds * 1000;
  const tickMs = 10;
  const perTick = (rate * tickMs) / 1000;
  let owed = 0;
  const inflight = new Set<Promise<void>>();
  while (Date.now() < end) {
    owed += perTick;
    while (owed >= 1) {
      owed--;
      const p = new Promise<void>((resolve) => {
        const req = request({ host: '127.0.0.1', port: SERVICE, path: '/paced', agent }, (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 200) answered++;
            resolve();
          });
        });
        req.on('error', () => resolve());
        req.end();
      });
      inflight.add(p);
      void p.then(() => inflight.delete(p));
    }
    await new Promise((r) => setTimeout(r, tickMs));
  }
  await Promise.all(inflight);
  agent.destroy();
  return answered;
}

async function main(): Promise<void> {
  const backend = await startHaproxyWith(staticBackendConfig(BACKEND), BACKEND);
  const unit = await startUnit(19502);
  try {
    await unit.agent.api.send('PUT', '/v1/services/web', {
      base: await desired(unit.agent),
      service: {
        name: 'web',
        mode: 'http',
        binds: [{ address: '127.0.0.1', port: SERVICE }],
        defaultBackend: 'app',
        backends: [
          {
            name: 'app',
            servers: [{ name: 's1', address: '127.0.0.1', port: BACKEND, check: false }],
          },
        ],
      },
    });
    await unit.agent.api.send('POST', '/v1/apply', {});
    const before = await stored(unit);

    console.log(`log ingest, HAProxy generating the lines, ${SECONDS} s per phase`);
    // wrk phases: a load that leaves the agent its share of the 2 cores, then as hard as wrk
    // drives (the machine saturated: what is lost is lost in HAProxy's ring, counted here).
    const agentPid = unit.agent.pid() ?? 0;
    const per1000 = (cpu: number, lines: number) => ((cpu * 1e6) / Math.max(1, lines)).toFixed(2);
    let last = before;
    for (const connections of CONNECTIONS) {
      const cpu0 = await cpuSeconds(agentPid);
      const run = await wrk(`http://127.0.0.1:${SERVICE}/`, {
        seconds: SECONDS,
        connections,
        threads: 1,
        lua: VARIED_REQUESTS_LUA,
      });
      const now = await stored(unit);
      const sent = run.requests - run.non2xx;
      const got = now.stored - last.stored;
      console.log(
        `  wrk ${String(connections).padStart(2)} connections: sent ${sent} (${(sent / SECONDS).toFixed(0)}/s), stored ${got} (${(got / SECONDS).toFixed(0)}/s), ` +
          `lost ${Math.max(0, sent - got)} (${((Math.max(0, sent - got) / Math.max(1, sent)) * 100).toFixed(2)}%), agent queue drops ${now.dropped - last.dropped}, ` +
          `agent CPU ${per1000((await cpuSeconds(agentPid)) - cpu0, got)} ms per 1,000 lines`,
      );
      last = now;
    }
    const afterFast = last;

    const sentPaced = await paced(5000, SECONDS);
    const afterPaced = await stored(unit);
    const gotPaced = afterPaced.stored - afterFast.stored;
    console.log(
      `  paced at ~5,000/s: sent ${sentPaced} (${(sentPaced / SECONDS).toFixed(0)}/s), stored ${gotPaced}, lost ${Math.max(0, sentPaced - gotPaced)} (stored counts HAProxy's own notices too)`,
    );

    if (RATE > 0) {
      const corpus = await captureLines();
      const cpu0 = await cpuSeconds(agentPid);
      const threads0 = await threadCpu(agentPid);
      const t0 = Date.now();
      const sent = await replay(unit.agent.logPort, corpus, RATE, SECONDS);
      const elapsed = (Date.now() - t0) / 1000;
      const now = await stored(unit);
      const cpu = (await cpuSeconds(agentPid)) - cpu0;
      const got = now.stored - afterPaced.stored;
      console.log(
        `  replay of ${corpus.length} lines HAProxy wrote, at ${RATE}/s: sent ${sent} (${(sent / elapsed).toFixed(0)}/s over ${elapsed.toFixed(1)} s), stored ${got}, ` +
          `lost ${Math.max(0, sent - got)}, agent queue drops ${now.dropped - afterPaced.dropped}, agent CPU ${per1000(cpu, got)} ms per 1,000 lines (writer and indexer)`,
      );
      // The indexer runs at the lowest priority: how long it took to summarize what came.
      // Thread CPU once the indexer is done too (a thread that left took its count with it).
      const threads1 = await threadCpu(agentPid);
      const part = (k: 'main' | 'niced' | 'other') => per1000(threads1[k] - threads0[k], got);
      console.log(
        `  by thread, per 1,000 lines: main ${part('main')} ms, writer and V8/libuv helpers ${part('other')} ms, indexer (nice 19, while the replay ran) ${part('niced')} ms`,
      );
      const ro = openTelemetryDb(join(unit.agent.stateDir, 'telemetry.db'));
      const view = openLogStore(ro);
      const pending = () => view.pendingBlocks();
      const waitFrom = Date.now();
      const backlog = pending();
      while (pending() > 0 && Date.now() - waitFrom < 600_000)
        await new Promise((r) => setTimeout(r, 500));
      console.log(
        `  indexer: ${backlog} blocks waiting when the replay ended, all summarized ${((Date.now() - waitFrom) / 1000).toFixed(1)} s later`,
      );
      ro.close();
    }

    const db = join(unit.agent.stateDir, 'telemetry.db');
    const bytes =
      (await stat(db)).size +
      (await stat(`${db}-wal`)
        .then((s) => s.size)
        .catch(() => 0));
    const total = (await stored(unit)).stored;
    console.log(
      `  telemetry DB ${(bytes / 1e6).toFixed(1)} MB for ${total} lines: ${(bytes / total).toFixed(0)} bytes per stored line`,
    );
  } finally {
    await unit.stop();
    await backend.stop();
  }
}

await main();
