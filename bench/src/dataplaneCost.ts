/**
 * Data-plane cost: requests/s through the Tandem-rendered config ÷ requests/s through a minimal
 * hand-written haproxy.cfg, same binary, same backend, alternating rounds so drift in machine load
 * hits both. Three subjects: the service logging every request (the default: HAProxy formats and
 * ships each line, the agent stores it); the same rendered config run by a bare HAProxy whose log
 * ring goes to a reader that discards the lines (what logging costs HAProxy and the transport,
 * with no agent; measured in the same rounds as the first); and the service with its logging off. Each phase also reports the CPU the agent
 * and the HAProxy under test used per 1,000 requests (issue 16's breakdown).
 * Targets: ≥ 0.95 with logging, ≥ 0.99 without.
 * Usage: npm run bench -- dataplane   (BENCH_SECONDS 10, BENCH_ROUNDS 7)
 */
import { readFile } from 'node:fs/promises';
import { cpuSeconds, cpuSince } from './lib/cpu.js';
import { startLogSink } from './lib/logSink.js';
import { median } from './lib/stats.js';
import { MINIMAL_PREAMBLE, startHaproxyWith, staticBackendConfig } from './lib/staticBackend.js';
import { desired, startUnit } from './lib/unit.js';
import { wrk } from './lib/wrk.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const BACKEND = 19401;
const TANDEM = 19400;
const ADMIN = 19402;
const MINIMAL = 19403;
const ALONE = 19404;
const ALONE_ADMIN = 19405;
const SINK = 19406;

const minimalConfig = [
  ...MINIMAL_PREAMBLE,
  'frontend fe',
  `    bind 127.0.0.1:${MINIMAL}`,
  '    default_backend be',
  'backend be',
  `    server s1 127.0.0.1:${BACKEND}`,
  '',
].join('\n');

/**
 * The unit's rendered config for a bare HAProxy beside the unit: other ports, the log ring sent
 * to the sink, and none of the unit's files (its Runtime API socket would be taken over).
 */
function aloneConfig(rendered: string): string {
  return rendered
    .split('\n')
    .filter((l) => !/^\s*(stats socket|server-state-file|load-server-state-from-file)\b/.test(l))
    .join('\n')
    .replace(/(\n\s+server agent 127\.0\.0\.1:)\d+/, `$1${SINK}`)
    .replace(`bind 127.0.0.1:${TANDEM}`, `bind 127.0.0.1:${ALONE}`)
    .replace(`bind 127.0.0.1:${ADMIN}`, `bind 127.0.0.1:${ALONE_ADMIN}`);
}

interface Subject {
  label: string;
  target: number;
  port: number;
  /** CPU seconds of the HAProxy under test since the call, read by the returned function. */
  haproxyCpu: () => Promise<() => Promise<number>>;
  agentPid: number;
}

/** A wrk round on a loopback port; any failed request ends the benchmark. */
async function round(port: number) {
  const res = await wrk(`http://127.0.0.1:${port}/`, { seconds: SECONDS, connections: 50 });
  if (res.failed > 0)
    throw new Error(
      `${res.failed} failed requests on port ${port}: ${JSON.stringify({ ...res.socketErrors, non2xx: res.non2xx })}`,
    );
  return res;
}

/**
 * Rounds of each subject back to back with the minimal config, each subject's ratio taken
 * against the minimal run of its own round; printed with the CPU breakdown.
 */
async function pairedRounds(subjects: readonly Subject[], minimalPid: number): Promise<void> {
  const runs = subjects.map(() => ({ rps: [] as number[], agent: 0, haproxy: 0, requests: 0 }));
  const m: number[] = [];
  const minimal = { cpu: 0, requests: 0 };
  for (let r = 0; r < ROUNDS; r++) {
    for (const [k, p] of subjects.entries()) {
      const run = runs[k]!;
      const a0 = await cpuSeconds(p.agentPid);
      const haproxyCpu = await p.haproxyCpu();
      const res = await round(p.port);
      run.agent += (await cpuSeconds(p.agentPid)) - a0;
      run.haproxy += await haproxyCpu();
      run.rps.push(res.rps);
      run.requests += res.requests;
    }
    const m0 = await cpuSeconds(minimalPid);
    const mr = await round(MINIMAL);
    minimal.cpu += (await cpuSeconds(minimalPid)) - m0;
    minimal.requests += mr.requests;
    m.push(mr.rps);
  }
  const per1000 = (s: number, n: number) => ((s * 1e6) / Math.max(1, n)).toFixed(1);
  const list = (xs: number[]) =>
    `${xs.map((x) => x.toFixed(0)).join(', ')} (median ${median(xs).toFixed(0)})`;
  console.log(`  minimal config rps ${list(m)}`);
  for (const [k, p] of subjects.entries()) {
    const run = runs[k]!;
    // Each round runs the configs back to back; the median of the per-round ratios cancels
    // slow drift in machine load better than a ratio of two medians.
    const paired = run.rps.map((x, i) => x / (m[i] ?? NaN));
    console.log(`  ${p.label}:`);
    console.log(`    rps ${list(run.rps)}`);
    console.log(`    per-round ratios ${paired.map((x) => x.toFixed(3)).join(', ')}`);
    console.log(
      `    ratio (median of paired rounds) ${median(paired).toFixed(3)}${p.target > 0 ? ` (target ≥ ${p.target})` : ''}`,
    );
    console.log(
      `    CPU per 1,000 requests: agent ${per1000(run.agent, run.requests)} ms, HAProxy under test ${per1000(run.haproxy, run.requests)} ms, minimal HAProxy ${per1000(minimal.cpu, minimal.requests)} ms`,
    );
  }
}

async function main(): Promise<void> {
  const backend = await startHaproxyWith(staticBackendConfig(BACKEND), BACKEND);
  const minimal = await startHaproxyWith(minimalConfig, MINIMAL);
  const unit = await startUnit(ADMIN);
  try {
    const { api } = unit.agent;
    const agentPid = unit.agent.pid() ?? 0;
    const unitHaproxy = `${unit.agent.stateDir}/haproxy.cfg`;
    const setLogging = async (enabled: boolean) => {
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
          logging: { enabled },
        },
      });
      await api.send('POST', '/v1/apply', {});
    };
    console.log(
      `data-plane cost: ${ROUNDS} alternating rounds of ${SECONDS} s per phase, 50 keep-alive connections`,
    );
    const unitPhase = { port: TANDEM, agentPid, haproxyCpu: () => cpuSince(unitHaproxy) };
    await setLogging(true);
    const sink = await startLogSink(SINK);
    const alone = await startHaproxyWith(aloneConfig(await readFile(unitHaproxy, 'utf8')), ALONE);
    try {
      await pairedRounds(
        [
          { ...unitPhase, label: 'logging on (the default)', target: 0.95 },
          {
            label:
              "HAProxy's logging alone (the same config, its lines to a reader that discards them; no agent)",
            target: 0,
            port: ALONE,
            agentPid: 0,
            haproxyCpu: async () => {
              const c0 = await cpuSeconds(alone.pid);
              return async () => (await cpuSeconds(alone.pid)) - c0;
            },
          },
        ],
        minimal.pid,
      );
      console.log(`    lines the reader took: ${sink.lines()}`);
    } finally {
      await alone.stop();
      await sink.stop();
    }
    await setLogging(false);
    await pairedRounds([{ ...unitPhase, label: 'logging off', target: 0.99 }], minimal.pid);
  } finally {
    await unit.stop();
    await minimal.stop();
    await backend.stop();
  }
}

await main();
