/**
 * What a reload keeps (issue 12), each figure against a reference measured in the same run:
 * - Redis writes that fail through the redis-master template across 20 applies (target 0),
 *   against the same writes with no applies;
 * - WebSockets still open after 3 applies spread over BENCH_WS_MINUTES (default 5), against
 *   sockets left alone as long;
 * - log lines stored for 10,000 requests while 20 applies run (target 10,000), against 10,000
 *   requests with no applies;
 * - Redis role-switch follow time p50/p95 over 10 switches (target < 3 s), against the check
 *   interval;
 * - RSS of every HAProxy process after 50 applies with 200 open WebSockets, against the same
 *   sockets before the applies.
 * Usage: npm run bench -- reload-state   (as root or not; needs redis-server, installed if missing)
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unixCommand } from '@tandem/agent/adapters/unixCommand';
import { freeTcpPort, httpGet, namedBackend } from '@tandem/agent/testing/agentProcess';
import {
  redisCommand,
  startRedis,
  switchMaster,
  type RedisNode,
} from '@tandem/agent/testing/redisServers';
import {
  openSocket,
  startEchoServer,
  type OpenSocket,
} from '@tandem/agent/testing/websocketServers';
import { parseServersState, type StatusResponse } from '@tandem/core';
import { percentile, ratio } from './lib/stats.js';
import { desired, startUnit } from './lib/unit.js';

const WS_MINUTES = Number(process.env.BENCH_WS_MINUTES ?? 5);
const UP = 2;
const DOWN = 0;

async function main(): Promise<void> {
  const unit = await startUnit(await freeTcpPort());
  const { api } = unit.agent;
  const master = await startRedis();
  const replica = await startRedis(master.port);
  const echo = await startEchoServer('ws');
  const web = await namedBackend('web');
  const cleanups: (() => Promise<void> | void)[] = [
    () => unit.stop(),
    () => master.stop(),
    () => replica.stop(),
    () => echo.close(),
    () => void web.server.close(),
  ];
  // Stopped by hand (Ctrl-C): tear down what was started, like a normal end.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void (async () => {
        for (const c of cleanups) await Promise.resolve(c()).catch(() => undefined);
        process.exit(130);
      })();
    });
  }
  let extra = 0;
  const add = async (template: string, params: Record<string, unknown>) =>
    api.send('POST', '/v1/services', { base: await desired(unit.agent), template, params });
  const unrelatedApply = async () => {
    await add('tcp-port-map', {
      name: `extra${++extra}`,
      port: await freeTcpPort(),
      servers: [{ address: '127.0.0.1', port: 9 }],
    });
    await api.send('POST', '/v1/apply', {});
  };
  const state = async () => {
    const text = await unixCommand(
      join(unit.agent.stateDir, 'run/haproxy.sock'),
      'show servers state',
    );
    return new Map(parseServersState(text).map((r) => [r.server, r.opState]));
  };
  const redisPort = await freeTcpPort();
  const wsPort = await freeTcpPort();
  const webPort = await freeTcpPort();
  try {
    await add('redis-master', {
      name: 'redis',
      address: '127.0.0.1',
      port: redisPort,
      servers: [master, replica].map((n) => ({ address: '127.0.0.1', port: n.port })),
    });
    await add('websocket-site', {
      name: 'chat',
      address: '127.0.0.1',
      port: wsPort,
      webServers: [{ address: '127.0.0.1', port: web.port }],
      socketServers: [{ address: '127.0.0.1', port: echo.port }],
    });
    await add('http-load-balancing', {
      name: 'web',
      address: '127.0.0.1',
      port: webPort,
      servers: [{ address: '127.0.0.1', port: web.port }],
    });
    await api.send('POST', '/v1/apply', {});
    while ((await state()).get('redis2') !== DOWN) await new Promise((r) => setTimeout(r, 100));

    // 1. Redis writes across 20 applies, against the same writes without applies.
    const writes = async (during: () => Promise<void>) => {
      let n = 0;
      let failed = 0;
      let stop = false;
      const loop = (async () => {
        while (!stop) {
          n++;
          const a = await redisCommand(redisPort, 'SET', 'k', String(n)).catch(() => '-ERR');
          if (!a.startsWith('+OK')) failed++;
        }
      })();
      await during();
      stop = true;
      await loop;
      return { n, failed };
    };
    const applies20 = async () => {
      for (let i = 0; i < 20; i++) await unrelatedApply();
    };
    const started = Date.now();
    const withApplies = await writes(applies20);
    const took = Date.now() - started;
    const reference = await writes(() => new Promise((r) => setTimeout(r, took)));
    console.log(
      `redis writes across 20 applies: ${withApplies.failed} failed of ${withApplies.n} (target 0); ` +
        `without applies: ${reference.failed} failed of ${reference.n}`,
    );

    // 2. Log lines for 10,000 requests while 20 applies run, against 10,000 without applies.
    // Request lines of one phase, paged newest first (HAProxy's own messages, such as the
    // proxies an old worker stops, are stored too but are not requests).
    const countLines = async (prefix: string): Promise<number> => {
      let n = 0;
      let before: number | null = null;
      for (;;) {
        const page: { items: { id: number; url: string | null }[]; next: number | null } =
          await api.get(
            `/v1/logs?service=web&limit=1000${before === null ? '' : `&before=${before}`}`,
          );
        n += page.items.filter((r) => r.url?.includes(`/${prefix}/`)).length;
        if (page.next === null) return n;
        before = page.next;
      }
    };
    const requests = async (prefix: string, during: () => Promise<void>) => {
      let i = 0;
      const worker = async () => {
        while (i < 10_000) {
          const k = i++;
          await httpGet(webPort, `/${prefix}/${k}`).catch(() => undefined);
        }
      };
      await Promise.all([during(), ...Array.from({ length: 8 }, worker)]);
      // Every line is in once the ingest has caught up: wait for the count to stop moving.
      let last = -1;
      for (;;) {
        await new Promise((r) => setTimeout(r, 1_000));
        const n = await countLines(prefix);
        if (n === last) return n;
        last = n;
      }
    };
    const linesWith = await requests('withapplies', applies20);
    const linesWithout = await requests('noapplies', () => Promise.resolve());
    const status = await api.get<StatusResponse>('/v1/status');
    console.log(
      `log lines for 10,000 requests with 20 applies: ${linesWith} (target 10,000); without applies: ${linesWithout}; ` +
        `ratio ${ratio(linesWith, linesWithout)}; HAProxy dropped ${status.logs?.droppedByHaproxy ?? '?'}`,
    );

    // 3. Redis role-switch follow time over 10 switches.
    const follows: number[] = [];
    let [m, r]: RedisNode[] = [master, replica];
    for (let i = 0; i < 10; i++) {
      const t0 = Date.now();
      await switchMaster(m!, r!);
      const newName = r === master ? 'redis1' : 'redis2';
      const oldName = r === master ? 'redis2' : 'redis1';
      for (;;) {
        const s = await state();
        if (s.get(newName) === UP && s.get(oldName) === DOWN) break;
        await new Promise((res) => setTimeout(res, 20));
      }
      follows.push(Date.now() - t0);
      [m, r] = [r, m];
    }
    console.log(
      `redis role switch followed in p50 ${percentile(follows, 50)} ms, p95 ${percentile(follows, 95)} ms (target < 3000); ` +
        `check interval 1000 ms: ratio p95/interval ${ratio(percentile(follows, 95), 1_000)}`,
    );

    // 4. RSS with 200 open WebSockets, before and after 50 applies.
    const sockets = await Promise.all(
      Array.from({ length: 200 }, () => openSocket(`ws://127.0.0.1:${wsPort}/ws`)),
    );
    const rss = async () => {
      const proc = await unixCommand(join(unit.agent.stateDir, 'run/master.sock'), 'show proc');
      const pids = [...proc.matchAll(/^(\d+)\s/gm)].map((x) => Number(x[1]));
      let kb = 0;
      for (const pid of pids) {
        const s = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
        kb += Number(/VmRSS:\s+(\d+)/.exec(s)?.[1] ?? 0);
      }
      return { mb: kb / 1024, processes: pids.length };
    };
    const before = await rss();
    for (let i = 0; i < 50; i++) await unrelatedApply();
    const after = await rss();
    const open = sockets.filter((s) => s.closed === null).length;
    console.log(
      `HAProxy RSS with 200 WebSockets: ${after.mb.toFixed(1)} MB in ${after.processes} processes after 50 applies, ` +
        `${before.mb.toFixed(1)} MB in ${before.processes} before: ratio ${ratio(after.mb, before.mb)}; ${open} of 200 sockets open`,
    );

    // 5. WebSockets across 3 applies spread over WS_MINUTES, against sockets left alone.
    const spread = await Promise.all(
      Array.from({ length: 20 }, () => openSocket(`ws://127.0.0.1:${wsPort}/ws`)),
    );
    const alone = sockets.slice(0, 20);
    for (let i = 0; i < 3; i++) {
      await new Promise((res) => setTimeout(res, (WS_MINUTES * 60_000) / 3));
      await unrelatedApply();
    }
    const stillOpen = async (list: OpenSocket[]) => {
      let n = 0;
      for (const s of list)
        if (s.closed === null && (await s.echo('ping').catch(() => '')) !== '') n++;
      return n;
    };
    console.log(
      `WebSockets still open after 3 applies over ${WS_MINUTES} min: ${await stillOpen(spread)} of 20 (target 20); ` +
        `opened before and left alone: ${await stillOpen(alone)} of 20`,
    );
    for (const s of [...sockets, ...spread]) s.ws.terminate();
  } finally {
    for (const c of cleanups) await c();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
