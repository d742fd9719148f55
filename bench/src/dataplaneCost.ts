/**
 * Data-plane cost: requests/s through the Tandem-rendered config ÷ requests/s through a minimal
 * hand-written haproxy.cfg, same binary, same backend, alternating rounds so drift in machine load
 * hits both. Twice: with the service logging every request (the default: HAProxy formats and
 * ships each line, the agent stores it) and with its logging off. Each phase also reports the CPU
 * the agent and the unit's HAProxy used per 1,000 requests (issue 16's breakdown).
 * Targets: ≥ 0.95 with logging, ≥ 0.99 without.
 * Usage: npm run bench -- dataplane   (BENCH_SECONDS 10, BENCH_ROUNDS 7)
 */
import { cpuSeconds, cpuSince } from './lib/cpu.js';
import { median } from './lib/stats.js';
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
    const agentPid = unit.agent.pid() ?? 0;
    const unitHaproxy = `${unit.agent.stateDir}/haproxy.cfg`;
    console.log(
      `data-plane cost: ${ROUNDS} alternating rounds of ${SECONDS} s per phase, 50 keep-alive connections`,
    );
    for (const logging of [true, false]) {
      await api.send('PUT', '/v1/services/web', {
        base: await desired(unit.agent),
        service: {
          name: 'web',
          mode: 'http',
          binds: [{ address: '127.0.0.1', port: TANDEM }],
          defaultBackend: 'app',
          backends: [
            { name: 'app', servers: [{ name: 's1', address: '127.0.0.1', port: BACKEND }] },
          ],
          logging: { enabled: logging },
        },
      });
      await api.send('POST', '/v1/apply', {});
      const t: number[] = [];
      const m: number[] = [];
      const cpu = { agent: 0, haproxy: 0, minimal: 0, tandemRequests: 0, minimalRequests: 0 };
      for (let r = 0; r < ROUNDS; r++) {
        const a0 = await cpuSeconds(agentPid);
        const haproxyCpu = await cpuSince(unitHaproxy);
        const tr = await wrk(`http://127.0.0.1:${TANDEM}/`, { seconds: SECONDS, connections: 50 });
        cpu.agent += (await cpuSeconds(agentPid)) - a0;
        cpu.haproxy += await haproxyCpu();
        const m0 = await cpuSeconds(minimal.pid);
        const mr = await wrk(`http://127.0.0.1:${MINIMAL}/`, { seconds: SECONDS, connections: 50 });
        cpu.minimal += (await cpuSeconds(minimal.pid)) - m0;
        for (const [res, url] of [
          [tr, TANDEM],
          [mr, MINIMAL],
        ] as const)
          if (res.failed > 0) throw new Error(`${res.failed} failed requests on port ${url}`);
        t.push(tr.rps);
        m.push(mr.rps);
        cpu.tandemRequests += tr.requests;
        cpu.minimalRequests += mr.requests;
      }
      const per1000 = (s: number, n: number) => ((s * 1e6) / Math.max(1, n)).toFixed(1);
      // Each round runs the two configs back to back; the median of the per-round ratios cancels
      // slow drift in machine load better than a ratio of two medians.
      const paired = t.map((x, i) => x / (m[i] ?? NaN));
      console.log(`  logging ${logging ? 'on (the default)' : 'off'}:`);
      console.log(
        `    Tandem-rendered rps ${t.map((x) => x.toFixed(0)).join(', ')} (median ${median(t).toFixed(0)})`,
      );
      console.log(
        `    minimal config  rps ${m.map((x) => x.toFixed(0)).join(', ')} (median ${median(m).toFixed(0)})`,
      );
      console.log(`    per-round ratios ${paired.map((r) => r.toFixed(3)).join(', ')}`);
      console.log(
        `    ratio (median of paired rounds) ${median(paired).toFixed(3)} (target ≥ ${logging ? '0.95' : '0.99'})`,
      );
      console.log(
        `    CPU per 1,000 requests: agent ${per1000(cpu.agent, cpu.tandemRequests)} ms, the unit's HAProxy ${per1000(cpu.haproxy, cpu.tandemRequests)} ms, minimal HAProxy ${per1000(cpu.minimal, cpu.minimalRequests)} ms`,
      );
    }
  } finally {
    await unit.stop();
    await minimal.stop();
    await backend.stop();
  }
}

await main();
