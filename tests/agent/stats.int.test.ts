import { namedBackend, httpGet, type AgentHandle } from '@tandem/agent/testing/agentProcess';
import { readSse, type SseEvent } from '@tandem/agent/cli/sseClient';
import type { EntitySample, StatusResponse } from '@tandem/core';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { haproxyRuntimes, startAgentOn, type HaproxyRuntime } from '../support/haproxyRuntimes.js';
import { freePort } from '../support/ports.js';

interface Snapshot {
  at: number | null;
  pid: number | null;
  entities: EntitySample[];
}
interface Series {
  at: number[];
  values: Record<string, (number | null)[]>;
}
interface EventRow {
  id: number;
  kind: string;
  severity: string;
  subject: string;
  message: string;
  data?: { to?: string; check?: { status: string; description: string } };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The stats sampler, series and event timeline against a real HAProxy: rates match the requests
 * sent while the unit reloads ten times, and a server going down becomes an event.
 */
describe.each(haproxyRuntimes().map((rt) => [rt.label, rt] as const))(
  'stats and events on the real %s',
  (_l, rt: HaproxyRuntime) => {
    let agent: AgentHandle;
    let cleanup: () => Promise<void> = async () => undefined;
    let backend: Awaited<ReturnType<typeof namedBackend>>;
    let port: number;

    const service = (weight: number) => ({
      name: 'web',
      mode: 'http',
      binds: [{ address: '127.0.0.1', port }],
      defaultBackend: 'app',
      backends: [
        {
          name: 'app',
          healthCheck: { type: 'http', path: '/health', intervalMs: 200, fall: 2, rise: 1 },
          servers: [{ name: 's1', address: '127.0.0.1', port: backend.port, weight }],
        },
      ],
    });
    const put = async (weight: number) => {
      const base = (await agent.api.get<StatusResponse>('/v1/status')).desired;
      await agent.api.send('PUT', '/v1/services/web', { base, service: service(weight) });
      await agent.api.send('POST', '/v1/apply', {});
    };
    const entity = async (key: string) => {
      const snap = await agent.api.get<Snapshot>('/v1/stats');
      return snap.entities.find((e) => e.key === key);
    };
    const nextSample = async () => {
      const at = (await agent.api.get<Snapshot>('/v1/stats')).at ?? 0;
      // vi.waitFor, not expect.poll: this also runs in beforeAll.
      await vi.waitFor(
        async () =>
          expect((await agent.api.get<Snapshot>('/v1/stats')).at ?? 0).toBeGreaterThan(at),
        { timeout: 30_000, interval: 100 },
      );
    };

    beforeAll(async () => {
      backend = await namedBackend('stats');
      port = await freePort();
      ({ agent, cleanup } = await startAgentOn(rt, 'stats', await freePort()));
      await put(10);
      await nextSample();
      await nextSample();
    });

    afterAll(async () => {
      await agent?.stop();
      backend?.server.close();
      await cleanup();
    });

    it('counts the requests sent, continuously across 10 reloads', async () => {
      const before = (await entity('frontend/web'))?.totals.req_tot ?? NaN;
      const beforeBackend = (await entity('backend/web.app'))?.totals.req_tot ?? NaN;
      expect(before).toBeGreaterThanOrEqual(0);
      const started = Date.now();
      let sent = 0;
      let stop = false;
      // About 40 requests a second, each on its own connection (so each reaches the newest worker).
      const traffic = (async () => {
        while (!stop) {
          const r = await httpGet(port, '/counted');
          if (r.status === 200) sent++;
          await sleep(25);
        }
      })();
      for (let i = 0; i < 10; i++) {
        await sleep(1800);
        await put(i % 2 === 0 ? 11 : 10);
      }
      await sleep(1000);
      stop = true;
      await traffic;
      const ended = Date.now();
      await nextSample();
      await nextSample();

      const after = (await entity('frontend/web'))?.totals.req_tot ?? NaN;
      const afterBackend = (await entity('backend/web.app'))?.totals.req_tot ?? NaN;
      expect(sent).toBeGreaterThan(400);
      expect(Math.abs(after - before - sent)).toBeLessThanOrEqual(sent * 0.1);
      expect(Math.abs(afterBackend - beforeBackend - sent)).toBeLessThanOrEqual(sent * 0.1);

      // The per-second series: a point every second, none negative, and its sum is the traffic.
      const s = await agent.api.get<Series>(
        `/v1/stats/series?entity=frontend/web&metrics=req_rate&from=${started - 2000}&to=${ended + 2500}&tier=0`,
      );
      const rates = s.values.req_rate ?? [];
      const inside = rates.filter(
        (_, i) => (s.at[i] ?? 0) >= started && (s.at[i] ?? 0) < ended - 1000,
      );
      // Traffic ran about 20 s: the series has a slot for every second of it. A busy machine
      // may take a sample late (a slot left empty); what matters is that nothing is lost or
      // counted twice across the reloads: the counts land in the next point, so the sum is the
      // traffic, and no point is negative or a spike (a counter reset read as traffic).
      expect(inside.length).toBeGreaterThanOrEqual(17);
      expect(rates.every((v) => v === null || v >= 0)).toBe(true);
      const sum = rates.reduce<number>((a, v) => a + (v ?? 0), 0);
      expect(Math.abs(sum - sent)).toBeLessThanOrEqual(sent * 0.1);
      const points = inside.filter((v): v is number => v !== null);
      expect(points.length).toBeGreaterThan(0);
      const mean = (sum / (ended - started)) * 1000;
      expect(Math.max(...points)).toBeLessThan(mean * 8);

      const applies = await agent.api.get<{ items: EventRow[] }>('/v1/events?kind=apply&limit=50');
      expect(applies.items.filter((e) => e.severity === 'info').length).toBeGreaterThanOrEqual(10);
      const metrics = await agent.api.text('/metrics');
      expect(metrics).toMatch(/^tandem_applies_total\{result="ok"\} (\d+)$/m);
      expect(
        Number(/^tandem_applies_total\{result="ok"\} (\d+)$/m.exec(metrics)?.[1]),
      ).toBeGreaterThanOrEqual(11);
      expect(metrics).toMatch(/^tandem_stats_samples_total \d+$/m);
      expect(metrics).toMatch(/^tandem_agent_heap_space_bytes\{space="old_space"\} [1-9]\d*$/m);
    }, 60_000);

    it('streams the log line of a request and reports a server going DOWN with its check message', async () => {
      const abort = new AbortController();
      const seen: SseEvent[] = [];
      const socket = join(agent.stateDir, 'agent.sock');
      void readSse(socket, '/v1/logs/stream?q=streamed', (e) => seen.push(e), abort.signal);
      void readSse(socket, '/v1/events/stream?kind=server', (e) => seen.push(e), abort.signal);
      // Asked again until the tail is open and streams it (a request before then is not tailed).
      await expect
        .poll(
          async () => {
            await httpGet(port, '/streamed');
            return seen.some((e) => e.event === 'log');
          },
          { timeout: 20_000, interval: 500 },
        )
        .toBe(true);
      expect(seen.find((e) => e.event === 'log')?.data).toMatchObject({
        uri: '/streamed',
        status: 200,
      });
      // The writer thread that stored it says its heap on /metrics (apart from the main thread's).
      await expect
        .poll(
          async () =>
            Number(
              /^tandem_agent_thread_heap_bytes\{thread="log_writer"\} (\d+)$/m.exec(
                await agent.api.text('/metrics'),
              )?.[1],
            ),
          { timeout: 20_000 },
        )
        .toBeGreaterThan(1_000_000);

      backend.server.close();
      backend.server.closeAllConnections();
      const findDown = () =>
        seen
          .map((e) => e.data as EventRow)
          .find((e) => e.kind === 'server' && e.data?.to === 'DOWN');
      await expect.poll(findDown, { timeout: 20_000 }).toBeDefined();
      const down = findDown();
      abort.abort();
      expect(down?.subject).toBe('server web.app/s1');
      expect(down?.severity).toBe('error');
      expect(down?.message).toMatch(
        /^server web\.app\/s1 is DOWN \(was UP\): Layer4 connection problem/,
      );
      expect(down?.data?.check?.status).toBe('L4CON');
      // The same event is in the timeline, and the snapshot shows the state.
      const listed = await agent.api.get<{ items: EventRow[] }>('/v1/events?kind=server');
      expect(listed.items[0]?.id).toBe(down?.id);
      expect((await entity('server/web.app/s1'))?.state).toBe('DOWN');
    }, 30_000);
  },
);
