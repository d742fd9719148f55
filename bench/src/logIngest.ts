/**
 * Log ingest: HAProxy generates the lines (one per request through a logged service, each with a
 * distinct path and a browser User-Agent) and the agent ingests them (ring over TCP, ADR 0008)
 * into SQLite with its text indexes. wrk phases at each of BENCH_CONNECTIONS (default 8 and 50:
 * a load that leaves the agent its share of the two cores, then the machine saturated), then a
 * client paced at about 5,000 requests/s. Each phase prints lines HAProxy sent (requests
 * answered) vs lines stored, and the telemetry DB's bytes per million lines.
 * Usage: npm run bench -- logs   (BENCH_SECONDS per phase, default 60)
 */
import { stat } from 'node:fs/promises';
import { request, Agent } from 'node:http';
import { join } from 'node:path';
import type { StatusResponse } from '@tandem/core';
import { startHaproxyWith, staticBackendConfig } from './lib/staticBackend.js';
import { desired, startUnit } from './lib/unit.js';
import { VARIED_REQUESTS_LUA, wrk } from './lib/wrk.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const BACKEND = 19501;
const SERVICE = 19500;
/** wrk connection counts, one phase each (BENCH_CONNECTIONS=8,50). */
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '8,50').split(',').map(Number);

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
    let last = before;
    for (const connections of CONNECTIONS) {
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
          `lost ${Math.max(0, sent - got)} (${((Math.max(0, sent - got) / Math.max(1, sent)) * 100).toFixed(2)}%), agent queue drops ${now.dropped - last.dropped}`,
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

    const db = join(unit.agent.stateDir, 'telemetry.db');
    const bytes =
      (await stat(db)).size +
      (await stat(`${db}-wal`)
        .then((s) => s.size)
        .catch(() => 0));
    console.log(
      `  telemetry DB ${(bytes / 1e6).toFixed(1)} MB for ${afterPaced.stored} lines: ${(((bytes / afterPaced.stored) * 1e6) / 1e6).toFixed(0)} MB per million lines`,
    );
  } finally {
    await unit.stop();
    await backend.stop();
  }
}

await main();
