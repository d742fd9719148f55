/**
 * Pairing and sync in the two-unit lab (npm run bench -- sync, root). Two figures:
 * - a change accepted on unit a → the same generation running on b, p50/p95 over BENCH_CHANGES
 *   (50) live changes (a server weight: live on a, a reload on b) and BENCH_EDITS (10) service
 *   edits applied by reload on a; the reference in the same run is a's own time from the
 *   request to the answer (its own apply);
 * - from entering the code to a paired, applied cluster (b runs a's configuration) and to a
 *   failover-ready one (both units' cluster settings set, keepalived on both), BENCH_PAIRINGS (5)
 *   times: unpair, show a code on b, pair on a.
 */
import type { ClusterNodes, ClusterStatus, GenerationSummary } from '@tandem/core';
import { down, unitApi, up, waitFor } from '@tandem/lab/lab';
import { ADDR, defaultLab, type LabOptions, type UnitId } from '@tandem/lab/labSpec';
import { percentile } from './lib/stats.js';

const CHANGES = Number(process.env.BENCH_CHANGES ?? 50);
const EDITS = Number(process.env.BENCH_EDITS ?? 10);
const PAIRINGS = Number(process.env.BENCH_PAIRINGS ?? 5);
const lab: LabOptions = { ...defaultLab('ts'), advertIntervalMs: 100 };
const api = (u: UnitId) => unitApi(lab, u);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (xs: number[]) =>
  `p50 ${percentile(xs, 50).toFixed(0)} ms  p95 ${percentile(xs, 95).toFixed(0)} ms  max ${Math.max(...xs).toFixed(0)} ms`;

/** Polls b every 10 ms until it runs generation n; the time from `since`. */
async function runningOnB(n: number, since: number): Promise<number> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    const s = await api('b').get<{ running: number | null }>('/v1/status');
    if (s.running === n) return Date.now() - since;
    await sleep(10);
  }
  throw new Error(`generation ${n} not running on b within 30 s`);
}

async function liveChanges() {
  const own: number[] = [];
  const peer: number[] = [];
  for (let i = 0; i < CHANGES; i++) {
    const t0 = Date.now();
    const r = await api('a').send<{ generation: GenerationSummary }>(
      'POST',
      '/v1/servers/web/be1',
      {
        change: { weight: 10 + (i % 200) },
        message: `bench ${i}`,
      },
    );
    own.push(Date.now() - t0);
    peer.push(await runningOnB(r.generation.number, t0));
  }
  return { own, peer };
}

async function reloadEdits() {
  const own: number[] = [];
  const peer: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const t0 = Date.now();
    const latest = (await api('a').get<GenerationSummary[]>('/v1/generations?limit=1'))[0];
    await api('a').send('PUT', '/v1/services/bench', {
      base: latest?.number ?? null,
      service: {
        name: 'bench',
        mode: 'tcp',
        binds: [{ vip: 'web', port: 9000 + i }],
        defaultBackend: 'pool',
        backends: [{ name: 'pool', servers: [{ name: 'be1', address: ADDR.be1, port: 8080 }] }],
      },
      message: `bench edit ${i}`,
    });
    const applied = await api('a').send<{ generation: number }>('POST', '/v1/apply', {});
    own.push(Date.now() - t0);
    peer.push(await runningOnB(applied.generation, t0));
  }
  return { own, peer };
}

async function pairings() {
  const paired: number[] = [];
  const ready: number[] = [];
  for (let i = 0; i < PAIRINGS; i++) {
    await api('a').send('POST', '/v1/cluster/unpair', {});
    const { code } = await api('b').send<{ code: string }>('POST', '/v1/cluster/pairing-code', {});
    const t0 = Date.now();
    await api('a').send('POST', '/v1/cluster/pair', { address: ADDR.b, code });
    await waitFor(
      'b runs a',
      30_000,
      async () => (await api('a').get<ClusterStatus>('/v1/cluster')).pairing?.runsSame === true,
    );
    paired.push(Date.now() - t0);
    const nodes = await api('a').get<ClusterNodes>('/v1/cluster/nodes');
    for (const v of [nodes.here, nodes.peer])
      if (v?.proposal)
        await api('a').send('PUT', `/v1/cluster/nodes/${v.unit}`, { node: v.proposal });
    await waitFor('keepalived on both', 30_000, async () => {
      const s = await Promise.all(
        [api('a'), api('b')].map((x) => x.get<ClusterStatus>('/v1/cluster')),
      );
      return s.every(
        (c) =>
          c.keepalived.running &&
          c.instances.every((i) => i.state === 'MASTER' || i.state === 'BACKUP'),
      );
    });
    ready.push(Date.now() - t0);
  }
  return { paired, ready };
}

async function main() {
  await up(lab);
  try {
    const at = new Date().toISOString();
    const live = await liveChanges();
    const edits = await reloadEdits();
    const pair = await pairings();
    const ratio = (a: number[], b: number[]) => (percentile(a, 50) / percentile(b, 50)).toFixed(2);
    console.log(`sync in the two-unit lab (measured ${at})`);
    console.log(`  live change, accepted on a → running on b (${CHANGES}): ${fmt(live.peer)}`);
    console.log(
      `    reference, a's own answer: ${fmt(live.own)}; ratio of p50s ${ratio(live.peer, live.own)}`,
    );
    console.log(`  service edit applied on a → running on b (${EDITS}): ${fmt(edits.peer)}`);
    console.log(
      `    reference, a's own edit and apply: ${fmt(edits.own)}; ratio of p50s ${ratio(edits.peer, edits.own)}`,
    );
    console.log(
      `  code entered → paired, b runs a's configuration (${PAIRINGS}): ${fmt(pair.paired)}`,
    );
    console.log(
      `  code entered → both units' cluster settings set, keepalived on both: ${fmt(pair.ready)}`,
    );
  } finally {
    await down(lab);
  }
}

await main();
