/**
 * Reload under load (seed 004): 200 concurrent clients, keep-alive and Connection: close, while the
 * agent applies a changed configuration 5 times per second. Prints failed requests (must be 0)
 * and throughput with reloads ÷ throughput without, both measured in this run.
 * Usage: npm run bench -- reload   (BENCH_SECONDS, default 30)
 */
import type { GenerationSummary } from '@tandem/core';
import { ratio } from './lib/stats.js';
import { startHaproxyWith, staticBackendConfig } from './lib/staticBackend.js';
import { desired, startUnit } from './lib/unit.js';
import { wrk, type WrkResult } from './lib/wrk.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const BACKEND_PORT = 19101;
const SERVICE_PORT = 19100;
const CLIENTS = 200;

const service = (n: number) => ({
  name: 'web',
  mode: 'http',
  binds: [{ address: '127.0.0.1', port: SERVICE_PORT }],
  headers: [{ phase: 'response', action: 'set', name: 'X-Generation-Probe', value: `change-${n}` }],
  defaultBackend: 'app',
  backends: [{ name: 'app', servers: [{ name: 's1', address: '127.0.0.1', port: BACKEND_PORT }] }],
});

async function main(): Promise<void> {
  const backend = await startHaproxyWith(staticBackendConfig(BACKEND_PORT), BACKEND_PORT);
  const unit = await startUnit(19102);
  const { api } = unit.agent;
  try {
    await api.send('PUT', '/v1/services/web', {
      base: await desired(unit.agent),
      service: service(0),
    });
    await api.send('POST', '/v1/apply', {});
    const url = `http://127.0.0.1:${SERVICE_PORT}/`;
    const rows: string[] = [];
    let allFailed = 0;
    for (const close of [false, true]) {
      const label = close ? 'Connection: close' : 'keep-alive';
      const baseline = await wrk(url, { seconds: SECONDS, connections: CLIENTS, close });
      // A changed config every 200 ms, whether or not the previous apply has finished: that is
      // the load the issue asks for, and the agent's coalescing decides how many reloads it takes.
      let changes = 0;
      let applyErrors = 0;
      const reloadsDone = new Set<number>();
      const inflight: Promise<void>[] = [];
      let base = await desired(unit.agent);
      const timer = setInterval(() => {
        const n = ++changes;
        inflight.push(
          api
            .send<{ generation: GenerationSummary }>('PUT', '/v1/services/web', {
              base,
              service: service(n),
            })
            .then((r) => {
              base = r.generation.number;
              return api.send<{ generation: number; outcome: string }>('POST', '/v1/apply', {});
            })
            .then((a) => void (a.outcome === 'reload' && reloadsDone.add(a.generation)))
            .catch(() => void applyErrors++),
        );
      }, 200);
      const loaded: WrkResult = await wrk(url, { seconds: SECONDS, connections: CLIENTS, close });
      clearInterval(timer);
      await Promise.all(inflight);
      const applies = reloadsDone.size;
      allFailed += loaded.failed + baseline.failed;
      rows.push(
        `${label.padEnd(18)} failed ${String(loaded.failed).padStart(3)} of ${loaded.requests}; ${changes} changes (${(changes / SECONDS).toFixed(1)}/s), ${applies} reloads (${(applies / SECONDS).toFixed(1)}/s), ${applyErrors} change errors; ` +
          `baseline failed ${baseline.failed} of ${baseline.requests}; rps ${loaded.rps.toFixed(0)} vs ${baseline.rps.toFixed(0)} without reloads: ratio ${ratio(loaded.rps, baseline.rps)}` +
          (loaded.failed > 0
            ? ` (socket errors ${JSON.stringify(loaded.socketErrors)}, non-2xx ${loaded.non2xx})`
            : ''),
      );
    }
    console.log(
      `reload under load: ${CLIENTS} clients, ${SECONDS} s per run, applies every 200 ms`,
    );
    for (const r of rows) console.log(`  ${r}`);
    console.log(
      allFailed === 0
        ? 'RESULT ok: 0 failed requests'
        : `RESULT FAIL: ${allFailed} failed requests`,
    );
    process.exitCode = allFailed === 0 ? 0 : 1;
  } finally {
    await unit.stop();
    await backend.stop();
  }
}

await main();
