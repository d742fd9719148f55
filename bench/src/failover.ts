/**
 * Failover in the two-unit lab (npm run bench -- failover). For each fault, BENCH_TRIALS trials
 * (20): a client requests the VIP every 10 ms on a new connection; the current master gets the
 * fault; "recovered" is from the fault to the first successful response to a request sent after
 * it (any success then comes from the new master: the failed one cannot serve). The failed unit
 * is healed and stays backup (no preemption), so the next trial fails the other unit.
 * Then 20 planned handovers (failed requests must be 0), then false failovers under CPU load
 * for three advert intervals. Reference in the same run: the plain request round trip.
 */
import { spawn } from 'node:child_process';
import type { ClusterStatus } from '@tandem/core';
import { runClient, serviceGap } from '@tandem/lab/client';
import { fail, heal, type Fault } from '@tandem/lab/faults';
import { down, holders, unitApi, up, waitFor } from '@tandem/lab/lab';
import { ADDR, defaultLab, type LabOptions, type UnitId } from '@tandem/lab/labSpec';
import { percentile } from './lib/stats.js';

const TRIALS = Number(process.env.BENCH_TRIALS ?? 20);
const FAULTS = (process.env.BENCH_FAULTS ?? 'link,haproxy,keepalived,freeze')
  .split(',')
  .filter((f) => f !== '') as Fault[];
const LOAD_SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const lab: LabOptions = { ...defaultLab('tb'), advertIntervalMs: 100 };

const other = (u: UnitId): UnitId => (u === 'a' ? 'b' : 'a');
const state = (u: UnitId) =>
  unitApi(lab, u)
    .get<ClusterStatus>('/v1/cluster')
    .then((s) => s.instances[0]?.state ?? 'UNKNOWN')
    .catch(() => 'UNKNOWN');
const master = async (): Promise<UnitId> => {
  await waitFor('one VIP holder', 15_000, async () => (await holders(lab)).length === 1);
  const h = (await holders(lab))[0];
  if (!h) throw new Error('no master');
  return h;
};
const fmt = (xs: number[]) =>
  `p50 ${percentile(xs, 50).toFixed(0)} ms  p95 ${percentile(xs, 95).toFixed(0)} ms  max ${Math.max(...xs).toFixed(0)} ms`;

async function baseline(): Promise<number> {
  const rs = await runClient(lab, 10, 3);
  return percentile(
    rs.filter((r) => r.ok).map((r) => r.ms),
    50,
  );
}

/**
 * One trial: the client runs 3 s; 0.8 s in, `act` hits the current master and returns when it
 * took effect; then `restore` brings that unit back and the pair must settle.
 */
async function trial(
  act: (m: UnitId) => Promise<number>,
  restore: (m: UnitId) => Promise<unknown>,
) {
  const m = await master();
  const results = runClient(lab, 10, 3);
  await sleep(800);
  const at = await act(m);
  const rs = await results;
  const took = await unitApi(lab, other(m))
    .get<ClusterStatus>('/v1/cluster')
    .then((s) => s.instances[0]?.lastTakeover ?? null);
  await restore(m);
  // Settled: one master, one backup (after a freeze the thawed unit may be the master again).
  await waitFor('one MASTER and one BACKUP', 15_000, async () => {
    const states = [await state('a'), await state('b')].sort();
    return states[0] === 'BACKUP' && states[1] === 'MASTER' && (await holders(lab)).length === 1;
  });
  return { m, at, rs, took };
}

async function trialsFor(fault: Fault) {
  const recovered: number[] = [];
  const agentGap: number[] = [];
  const failed: number[] = [];
  for (let i = 0; i < TRIALS; i++) {
    const t = await trial(
      (m) => fail(lab, m, fault),
      (m) => heal(lab, m),
    );
    const g = serviceGap(t.rs, t.at, ADDR[other(t.m)]);
    if (g.recoveredMs === null) throw new Error(`${fault}: no request succeeded after the fault`);
    recovered.push(g.recoveredMs);
    failed.push(g.failed);
    if (t.took?.gapMs != null && t.took.at >= t.at) agentGap.push(t.took.gapMs);
  }
  return { recovered, agentGap, failed };
}

async function handovers() {
  const failed: number[] = [];
  const slowest: number[] = [];
  for (let i = 0; i < TRIALS; i++) {
    const t = await trial(
      async (m) => {
        await unitApi(lab, m).send('POST', '/v1/cluster/handover', {});
        return Date.now();
      },
      (m) => unitApi(lab, m).send('POST', '/v1/cluster/resume', {}),
    );
    failed.push(t.rs.filter((r) => !r.ok).length);
    // The slowest response to a request sent around the switch: what a client noticed.
    slowest.push(
      Math.max(...t.rs.filter((r) => r.t >= t.at - 300 && r.t <= t.at + 1_000).map((r) => r.ms)),
    );
  }
  return { failed, slowest };
}

/** Bounded CPU burners (one per core) for `seconds`. */
function burnCpu(seconds: number) {
  const code = `const end = Date.now() + ${seconds * 1000}; while (Date.now() < end) {}`;
  return Promise.all(
    [0, 1].map(
      () =>
        new Promise<void>((resolve) => {
          const c = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
          c.on('exit', () => resolve());
        }),
    ),
  );
}

async function falseFailovers(advertIntervalMs: number) {
  const o = { ...lab, advertIntervalMs };
  await up(o);
  const before = await Promise.all((['a', 'b'] as const).map((u) => vrrpEventCount(o, u)));
  await Promise.all([burnCpu(LOAD_SECONDS), runClient(o, 5, LOAD_SECONDS)]);
  const after = await Promise.all((['a', 'b'] as const).map((u) => vrrpEventCount(o, u)));
  return after[0]! - before[0]! + (after[1]! - before[1]!);
}
const vrrpEventCount = async (o: LabOptions, u: UnitId) =>
  (await unitApi(o, u).get<{ items: unknown[] }>('/v1/events?kind=vrrp&limit=1000')).items.length;

try {
  await up(lab);
  const rtt = await baseline();
  console.log(
    `failover in the two-unit lab: adverts every ${lab.advertIntervalMs} ms, ${TRIALS} trials per fault`,
  );
  console.log(`  reference: plain request round trip p50 ${rtt.toFixed(2)} ms (same run)`);
  for (const fault of FAULTS) {
    // A fresh pair per fault: a freeze can leave the thawed unit master again.
    await up(lab);
    const r = await trialsFor(fault);
    console.log(
      `  ${fault.padEnd(10)} recovered ${fmt(r.recovered)}  failed requests per trial: max ${Math.max(...r.failed)}, total ${r.failed.reduce((a, b) => a + b, 0)}  (p95/rtt ${(percentile(r.recovered, 95) / rtt).toFixed(0)}x)`,
    );
    if (r.agentGap.length > 0)
      console.log(`  ${''.padEnd(10)} agent's own "took over in": ${fmt(r.agentGap)}`);
    console.log(`  ${''.padEnd(10)} all: ${r.recovered.map((x) => x.toFixed(0)).join(' ')}`);
  }
  await up(lab);
  const h = await handovers();
  console.log(
    `  handover   failed requests: ${h.failed.reduce((a, b) => a + b, 0)} over ${TRIALS} trials; slowest response around it ${fmt(h.slowest)}`,
  );
  await down(lab);
  for (const adv of [50, 100, 200]) {
    const n = await falseFailovers(adv);
    console.log(
      `  false failovers: adverts ${adv} ms, ${LOAD_SECONDS} s with both cores busy + client traffic: ${n} VRRP events`,
    );
    await down({ ...lab, advertIntervalMs: adv });
  }
} finally {
  await down(lab);
}
