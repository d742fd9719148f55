/**
 * Data-plane cost: requests/s through the Tandem-rendered config ÷ requests/s through a minimal
 * hand-written haproxy.cfg, same binary, same backend, alternating rounds so drift in machine load
 * hits both. Target ≥ 0.97.  Usage: npm run bench -- dataplane   (BENCH_SECONDS 10, BENCH_ROUNDS 7)
 */
import { median, ratio } from './lib/stats.js';
import { MINIMAL_PREAMBLE, startHaproxyWith, staticBackendConfig } from './lib/staticBackend.js';
import { desired, startUnit } from './lib/unit.js';
import { wrk } from './lib/wrk.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const BACKEND = 19401;
const TANDEM = 19400;
const MINIMAL = 19403;

const minimalConfig = [
  ...MINIMAL_PREAMBLE,
  'frontend fe',
  `    bind 127.0.0.1:${MINIMAL}`,
  '    default_backend be',
  'backend be',
  `    server s1 127.0.0.1:${BACKEND}`,
  '',
].join('\n');

async function main(): Promise<void> {
  const backend = await startHaproxyWith(staticBackendConfig(BACKEND), BACKEND);
  const minimal = await startHaproxyWith(minimalConfig, MINIMAL);
  const unit = await startUnit(19402);
  try {
    const { api } = unit.agent;
    await api.send('POST', '/v1/services', {
      base: await desired(unit.agent),
      template: 'http-load-balancing',
      params: {
        name: 'web',
        address: '127.0.0.1',
        port: TANDEM,
        servers: [{ address: '127.0.0.1', port: BACKEND }],
      },
    });
    await api.send('POST', '/v1/apply', {});
    const t: number[] = [];
    const m: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (const [url, into] of [
        [`http://127.0.0.1:${TANDEM}/`, t],
        [`http://127.0.0.1:${MINIMAL}/`, m],
      ] as const) {
        const res = await wrk(url, { seconds: SECONDS, connections: 50 });
        if (res.failed > 0) throw new Error(`${res.failed} failed requests on ${url}`);
        into.push(res.rps);
      }
    }
    console.log(
      `data-plane cost: ${ROUNDS} alternating rounds of ${SECONDS} s, 50 keep-alive connections`,
    );
    console.log(
      `  Tandem-rendered rps ${t.map((x) => x.toFixed(0)).join(', ')} (median ${median(t).toFixed(0)})`,
    );
    console.log(
      `  minimal config  rps ${m.map((x) => x.toFixed(0)).join(', ')} (median ${median(m).toFixed(0)})`,
    );
    // Each round runs the two configs back to back; the median of the per-round ratios cancels
    // slow drift in machine load better than a ratio of two medians.
    const paired = t.map((x, i) => x / (m[i] ?? NaN));
    console.log(`  per-round ratios ${paired.map((r) => r.toFixed(3)).join(', ')}`);
    console.log(
      `  ratio (median of paired rounds) ${median(paired).toFixed(3)}; ratio of medians ${ratio(median(t), median(m))} (target ≥ 0.97)`,
    );
  } finally {
    await unit.stop();
    await minimal.stop();
    await backend.stop();
  }
}

await main();
