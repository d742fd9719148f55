/**
 * The soak (npm run bench -- soak): a paired lab (two units in network namespaces, the VIP on
 * one) with the console on unit a, and BENCH_SOAK_CLIENTS (200) concurrent clients on the VIP's
 * service, each request on a new connection. After a quiet start (the latency reference,
 * REFERENCE_S), the operator's day happens on a: applies that reload, live server changes, log and
 * stats queries through the agent and the console, a certificate replacement on an HTTPS service
 * of the same VIP, and a planned failover (handover to b and back): once in a warm-up
 * (BENCH_SOAK_WARMUP_S, 180), then over the measured BENCH_SOAK_SECONDS (600). Reports requests,
 * failed requests (must be 0), p50/p99 against the quiet reference, and the RSS of both agents and
 * the console idle (before the clients), at the start of the measured part and at its end (growth
 * must stay under 10 %), with each V8 heap every 30 s.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClusterStatus } from '@tandem/core';
import { runSoakClients, type SoakWindow } from '@tandem/lab/client';
import { down, holders, unitApi, up, waitFor } from '@tandem/lab/lab';
import {
  defaultLab,
  labConfig,
  ns,
  unitDir,
  type LabOptions,
  type UnitId,
} from '@tandem/lab/labSpec';
import { netnsPids } from '@tandem/lab/netns';
import { makeTestChain } from '@tandem/agent/testing/testCertificates';
import { startConsole } from '@tandem/web-ui/testing/consoleProcess';
import { get } from './lib/httpsGet.js';

const SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 600);
const CLIENTS = Number(process.env.BENCH_SOAK_CLIENTS ?? 200);
const THINK_MS = Number(process.env.BENCH_SOAK_THINK_MS ?? 100);
// Before the measured SECONDS: the same load and each of the day's things once, both units
// holding the VIP in turn, so the start is a unit in its working state and the growth over the
// soak is what a long-running unit would add (a leak), not the first use of its code paths.
const WARMUP_S = Number(process.env.BENCH_SOAK_WARMUP_S ?? 180);
// The clients report every 10 s: the reference is the first windows, before any change.
const REFERENCE_S = Math.max(10, Math.min(30, Math.floor(WARMUP_S / 50) * 10));
const PW = 'a long enough passphrase for the soak';
const lab: LabOptions = { ...defaultLab('ts'), advertIntervalMs: 100 };
const api = (u: UnitId) => unitApi(lab, u);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A number from /proc/PID/status (memory fields are in KiB). */
const statusField = (status: string, field: string) =>
  Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
const rssMiB = async (pid: number) =>
  statusField(await readFile(`/proc/${pid}/status`, 'utf8'), 'VmRSS') / 1024;
/** RSS split into anonymous memory (heaps, caches) and file pages (code mapped in as it runs). */
const rssParts = async (pid: number) => {
  const s = await readFile(`/proc/${pid}/status`, 'utf8');
  const mib = (field: string) => (statusField(s, field) / 1024).toFixed(0);
  return `${mib('RssAnon')}+${mib('RssFile')}, ${statusField(s, 'Threads')} threads`;
};

async function agentPid(u: UnitId): Promise<number> {
  for (const pid of await netnsPids(ns(lab, u))) {
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmd.includes('agent/dist/main.js')) return pid;
  }
  throw new Error(`no agent in unit ${u}`);
}

/** How many in all, over a count per reason. */
const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
/** Adds each reason's count of `from` into `into`. */
const addCounts = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
};

/** Latency percentiles of merged windows' histograms. */
function summary(ws: readonly SoakWindow[]) {
  const hist = new Map<number, number>();
  let requests = 0;
  const failures: Record<string, number> = {};
  const retried: Record<string, number> = {};
  for (const w of ws) {
    requests += w.requests;
    addCounts(failures, w.failures);
    addCounts(retried, w.retried);
    for (const [k, v] of Object.entries(w.ms)) hist.set(Number(k), (hist.get(Number(k)) ?? 0) + v);
  }
  const sorted = [...hist.entries()].sort((a, b) => a[0] - b[0]);
  const ok = sorted.reduce((n, [, c]) => n + c, 0);
  const at = (p: number) => {
    let seen = 0;
    for (const [ms, c] of sorted) if ((seen += c) >= (p / 100) * ok) return ms;
    return NaN;
  };
  return {
    requests,
    failed: total(failures),
    failures,
    retries: total(retried),
    retried,
    p50: at(50),
    p99: at(99),
    max: sorted.at(-1)?.[0] ?? NaN,
  };
}

const measuredAt = new Date().toISOString();
await up(lab);
const chains = await Promise.all([makeTestChain(['shop.test']), makeTestChain(['shop.test'])]);
const console_ = await startConsole(unitDir(lab, 'a'));
const counts = {
  applies: 0,
  live: 0,
  logQueries: 0,
  consoleQueries: 0,
  actionErrors: [] as string[],
};
try {
  // An HTTPS service on the VIP with a stored certificate: what the replacement replaces.
  await api('a').send('POST', '/v1/certificates', {
    name: 'shop',
    pkcs12: chains[0]!.pkcs12.toString('base64'),
    password: chains[0]!.password,
  });
  const current = await api('a').get<{ generation: number }>('/v1/config');
  const shared = labConfig(lab);
  const withShop = (algorithm: string) => ({
    ...shared,
    services: [
      {
        ...shared.services![0]!,
        backends: shared.services![0]!.backends.map((b) => ({ ...b, balance: { algorithm } })),
      },
      {
        ...shared.services![0]!,
        name: 'shop',
        binds: [{ vip: 'web', port: 443, tls: true }],
        tls: { certificate: 'shop' },
      },
    ],
  });
  await api('a').send('PUT', '/v1/config', {
    base: current.generation,
    config: withShop('roundrobin'),
    message: 'soak: shop over HTTPS',
  });
  const applied = await api('a').send<{ generation: number }>('POST', '/v1/apply', {});
  await waitFor('b runs what a runs', 60_000, async () => {
    const s = await api('b').get<{ running: number | null }>('/v1/status');
    return s.running === applied.generation;
  });

  // The console's first admin, signed in.
  const agentLog = await readFile(join(unitDir(lab, 'a'), 'agent.log'), 'utf8');
  const token = /setup token (\S+)/.exec(agentLog)?.[1] ?? '';
  const setup = await get(
    `${console_.base}/api/v1/auth/setup`,
    { origin: console_.base, 'content-type': 'application/json' },
    'POST',
    JSON.stringify({ token, name: 'ann', password: PW }),
  );
  if (setup.status !== 200)
    throw new Error(`console setup: ${setup.status} ${setup.body.toString()}`);
  const cookie =
    String((setup.headers['set-cookie'] as string[] | undefined)?.[0] ?? '').split(';')[0] ?? '';

  const pids = {
    'agent a': await agentPid('a'),
    'agent b': await agentPid('b'),
    console: console_.pid,
  };
  const rss = async () =>
    Object.fromEntries(
      await Promise.all(
        Object.entries(pids).map(async ([k, pid]) => [k, await rssMiB(pid)] as const),
      ),
    );
  const idle = await rss();
  let atStart: Record<string, number> | null = null;

  const started = Date.now();
  const elapsed = () => (Date.now() - started) / 1000;
  const clients = runSoakClients(lab, CLIENTS, WARMUP_S + SECONDS, THINK_MS, (w) => {
    const f = total(w.failures);
    const r = total(w.retried);
    process.stdout.write(
      `  ${elapsed().toFixed(0)} s: ${w.requests} requests, ${f} failed${r ? `, ${r} reset and sent again ${JSON.stringify(w.retried)}` : ''}\n`,
    );
  });

  const act = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (e) {
      counts.actionErrors.push(
        `${elapsed().toFixed(0)} s ${what}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  };
  let replacements = 0;
  const replaceCertificate = async () => {
    const chain = chains[++replacements % 2]!;
    await api('a').send('POST', '/v1/certificates', {
      name: 'shop',
      pkcs12: chain.pkcs12.toString('base64'),
      password: chain.password,
      replace: true,
    });
  };
  let handedOver: UnitId | null = null;
  const handover = async () => {
    const [m] = await holders(lab);
    if (!m) throw new Error('no VIP holder');
    await api(m).send('POST', '/v1/cluster/handover', {});
    handedOver = m;
  };
  const resume = async () => {
    if (!handedOver) throw new Error('nothing was handed over');
    await api(handedOver).send('POST', '/v1/cluster/resume', {});
    handedOver = null;
  };
  // Each thing the soak does happens in the warm-up (so both units have served and stored the
  // load), then again in the measured part, at these fractions of each. With no preemption a
  // unit that resumes stays the backup, so "and back" is a second handover, by the new holder:
  // each part ends with the VIP where it started.
  const milestones = [
    { what: 'certificate replacement', warm: 0.1, soak: 0.4, fn: replaceCertificate },
    { what: 'handover', warm: 0.15, soak: 0.55, fn: handover },
    { what: 'resume', warm: 0.4, soak: 0.6, fn: resume },
    { what: 'handover back', warm: 0.5, soak: 0.7, fn: handover },
    { what: 'resume', warm: 0.6, soak: 0.75, fn: resume },
  ].flatMap((m) => [
    { ...m, at: REFERENCE_S + m.warm * (WARMUP_S - REFERENCE_S), done: null as number | null },
    { ...m, at: WARMUP_S + m.soak * SECONDS, done: null as number | null },
  ]);
  let tick = 0;
  while (elapsed() < WARMUP_S + SECONDS - 5) {
    await sleep(1_000);
    tick++;
    const t = elapsed();
    if (!atStart && t >= WARMUP_S) atStart = await rss();
    if (tick % 30 === 0) {
      // The curve, not just its ends: each V8 heap (main thread by space, worker threads) against
      // the whole process.
      const heap = async (u: UnitId) => {
        const text = await api(u).text('/metrics');
        const mib = (re: RegExp) => (Number(re.exec(text)?.[1]) / 1048576).toFixed(1);
        const spaces = ['old_space', 'code_space', 'new_space', 'large_object_space']
          .map(
            (sp) =>
              `${sp.replace('_space', '')} ${mib(new RegExp(`heap_space_bytes\\{space="${sp}"\\} (\\d+)`))}`,
          )
          .join(' ');
        return `${mib(/tandem_agent_memory_bytes\{kind="heap_used"\} (\d+)/)} of ${mib(/tandem_agent_memory_bytes\{kind="heap_total"\} (\d+)/)} (${spaces}), writer ${mib(/thread_heap_bytes\{thread="log_writer"\} (\d+)/)}, indexer ${mib(/thread_heap_bytes\{thread="log_indexer"\} (\d+)/)}`;
      };
      const now = await rss();
      console.log(
        `  ${t.toFixed(0)} s: RSS ${Object.entries(now)
          .map(([k, v]) => `${k} ${v.toFixed(1)}`)
          .join(
            ', ',
          )} MiB; heap agent a ${await heap('a')}, agent b ${await heap('b')} MiB; anon+file ${(
          await Promise.all(
            Object.entries(pids).map(async ([k, pid]) => `${k} ${await rssParts(pid)}`),
          )
        ).join('; ')}`,
      );
    }
    if (t < REFERENCE_S) continue;
    if (tick % 2 === 0)
      await act('live change', async () => {
        await api('a').send('POST', '/v1/servers/web/be1', {
          change: { weight: 1 + (tick % 10) },
          message: `soak: weight ${1 + (tick % 10)}`,
        });
        counts.live++;
      });
    if (tick % 15 === 0)
      await act('apply', async () => {
        const c = await api('a').get<{ generation: number }>('/v1/config');
        await api('a').send('PUT', '/v1/config', {
          base: c.generation,
          config: withShop(tick % 30 === 0 ? 'leastconn' : 'roundrobin'),
          message: `soak: apply at ${t.toFixed(0)} s`,
        });
        await api('a').send('POST', '/v1/apply', {});
        counts.applies++;
      });
    if (tick % 5 === 0)
      await act('queries', async () => {
        await api('a').get('/v1/logs?q=be1&limit=100');
        counts.logQueries++;
        for (const path of [
          '/api/v1/logs?limit=100',
          '/api/v1/stats/series?entity=backend/web.app',
          '/api/v1/status',
        ]) {
          const r = await get(`${console_.base}${path}`, { cookie });
          if (r.status !== 200) throw new Error(`console ${path}: ${r.status}`);
        }
        counts.consoleQueries += 3;
      });
    // Once each, even when it fails (then listed among the actions that failed).
    for (const m of milestones)
      if (m.done === null && t >= m.at) {
        m.done = t;
        await act(m.what, m.fn);
      }
  }
  const windows = await clients;
  const atEnd = await rss();
  const cluster = await api('a').get<ClusterStatus>('/v1/cluster');

  const all = summary(windows);
  const reference = summary(windows.slice(0, REFERENCE_S / 10));
  const busy = summary(windows.slice(REFERENCE_S / 10));
  console.log(
    `\nsoak (measured ${measuredAt}): ${CLIENTS} clients, ${SECONDS} s, a new connection per request, ${THINK_MS} ms between a client's requests`,
  );
  console.log(
    `  requests ${all.requests}, failed ${all.failed}${all.failed ? ` ${JSON.stringify(all.failures)}` : ''}, reset and sent again ${all.retries}${all.retries ? ` ${JSON.stringify(all.retried)}` : ''}; p50 ${all.p50} ms, p99 ${all.p99} ms, max ${all.max} ms`,
  );
  console.log(
    `  reference (first ${REFERENCE_S} s, no changes): p50 ${reference.p50} ms, p99 ${reference.p99} ms; under changes p99 ${busy.p99} ms, ratio ${(busy.p99 / reference.p99).toFixed(2)}`,
  );
  const when = (what: string) =>
    milestones
      .filter((m) => m.what === what)
      .map((m) => (m.done === null ? '-' : `${m.done.toFixed(0)} s`))
      .join(' and ');
  console.log(
    `  on a: ${counts.applies} applies (reload), ${counts.live} live server changes, ${counts.logQueries} agent log queries, ${counts.consoleQueries} console queries; certificate replaced at ${when('certificate replacement')}; handover at ${when('handover')}, back at ${when('handover back')}, resumed at ${when('resume')}; VIP on ${(await holders(lab)).join(', ')} at the end; pair ${cluster.pairing?.runsSame ? 'runs the same' : 'differs'}`,
  );
  if (counts.actionErrors.length)
    console.log(`  actions that failed:\n    ${counts.actionErrors.join('\n    ')}`);
  const grown: string[] = [];
  for (const k of Object.keys(pids)) {
    const i = idle[k]!;
    const s = atStart?.[k] ?? NaN;
    const e = atEnd[k]!;
    const growth = ((e - s) / s) * 100;
    if (!(growth < 10)) grown.push(k);
    console.log(
      `  RSS ${k}: idle ${i.toFixed(1)} MiB, start (after the ${WARMUP_S} s warm-up) ${s.toFixed(1)} MiB, end ${e.toFixed(1)} MiB: ${growth.toFixed(1)}% over the ${SECONDS} s (${(((e - i) / i) * 100).toFixed(1)}% since idle)`,
    );
  }
  if (grown.length) console.log(`  RSS grew 10% or more: ${grown.join(', ')}`);
  if (all.failed > 0 || counts.actionErrors.length > 0 || grown.length > 0) process.exitCode = 1;
} finally {
  console_.stop();
  await down(lab);
}
