import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { unixCommand } from '@tandem/agent/adapters/unixCommand';
import { httpGet, type AgentHandle } from '@tandem/agent/testing/agentProcess';
import { parseShowInfo, type StatusResponse } from '@tandem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyRuntimes, startAgentOn, type HaproxyRuntime } from '../support/haproxyRuntimes.js';
import { freePort } from '../support/ports.js';
import { addWebService, unrelatedApply as unrelated } from '../support/serviceEdits.js';

/**
 * No log line lost at a reload (issue 12): a request that is still running when an apply
 * reloads HAProxy finishes on the old worker, whose ring forwarder has already closed
 * (haproxy#3436). Its line must still be stored, and the old worker must still exit once done.
 */
describe.each(haproxyRuntimes().map((rt) => [rt.label, rt] as const))(
  'log lines across reloads on the real %s',
  (_l, rt: HaproxyRuntime) => {
    let cleanup: () => Promise<void> = async () => undefined;
    let agent: AgentHandle;
    let backend: Server;
    let webPort: number;
    let extra = 0;
    /** Requests to /hold/... wait until released: they are in flight for as long as the test says. */
    const held: (() => void)[] = [];

    const haproxy = (command: string) =>
      unixCommand(join(agent.stateDir, 'run/haproxy.sock'), command);
    const master = (command: string) =>
      unixCommand(join(agent.stateDir, 'run/master.sock'), command);
    const until = async <T>(what: string, probe: () => Promise<T | null>): Promise<T> => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const v = await probe();
        if (v !== null) return v;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const unrelatedApply = () => unrelated(agent, ++extra);
    const stored = async (path: string) => {
      const r = await agent.api.get<{ items: { url: string | null }[] }>(
        `/v1/logs?q=${encodeURIComponent(path.slice(1))}&limit=100`,
      );
      return r.items.filter((i) => i.url?.endsWith(path)).length;
    };

    beforeAll(async () => {
      backend = createServer((req, res) => {
        if (req.url?.startsWith('/hold/')) held.push(() => res.end('released'));
        else res.end('ok');
      });
      await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
      const addr = backend.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      webPort = await freePort();
      ({ agent, cleanup } = await startAgentOn(rt, 'reload-logs', await freePort()));
      await addWebService(agent, webPort, [port]);
      await agent.api.send('POST', '/v1/apply', {});
    }, 60_000);

    afterAll(async () => {
      for (const release of held.splice(0)) release();
      await agent?.stop();
      backend?.close();
      await cleanup();
    });

    it('stores the line of a request that finishes on the old worker, which then exits', async () => {
      const path = `/hold/in-flight-${rt.root === '' ? 'host' : 'compat'}`;
      const answer = httpGet(webPort, path);
      // In flight once the backend holds it (the backend is ours: it says when).
      await until('the request to reach the backend', async () => (held.length > 0 ? true : null));
      const oldPid = Number(parseShowInfo(await haproxy('show info')).fields.Pid);
      const r = await unrelatedApply();
      expect(r.outcome).toBe('reload');
      // The apply says the open connection stays on the previous worker, and until when.
      expect(r.previousWorker?.connectionsOnPreviousWorker).toBe(1);
      expect(r.previousWorker?.previousWorkerStopsAt).toBeGreaterThan(Date.now());
      const status = await agent.api.get<StatusResponse>('/v1/status');
      // (An older worker of the apply before may still be on its way out.)
      expect(status.haproxy.oldWorkers).toContainEqual(
        expect.objectContaining({ pid: oldPid, connections: 1 }),
      );
      held.shift()?.();
      expect(await answer).toEqual({ status: 200, body: 'released' });
      await until('the line from the old worker', async () =>
        (await stored(path)) === 1 ? true : null,
      );
      // The agent lets the old worker go once it has nothing left to serve or log.
      await until('the old worker to exit', async () =>
        (await master('show proc')).includes(`${oldPid} `) ? null : true,
      );
      expect(await stored(path)).toBe(1);
    }, 60_000);

    it('stores every line exactly once across applies under traffic', async () => {
      const prefix = `/burst-${rt.root === '' ? 'host' : 'compat'}-`;
      let sent = 0;
      let stop = false;
      const failed: string[] = [];
      const load = (async () => {
        while (!stop && sent < 900) {
          const r = await httpGet(webPort, `${prefix}${sent}`).catch((e: unknown) => String(e));
          if (typeof r === 'string') failed.push(r);
          sent++;
        }
      })();
      try {
        for (let i = 0; i < 4; i++) await unrelatedApply();
      } finally {
        stop = true;
        await load;
      }
      expect(failed).toEqual([]);
      const count = async () => {
        const r = await agent.api.get<{ items: { url: string | null }[] }>(
          `/v1/logs?q=${encodeURIComponent(prefix.slice(1))}&limit=1000`,
        );
        return new Set(r.items.map((i) => i.url)).size === r.items.length ? r.items.length : -1;
      };
      await until(`${sent} lines`, async () => ((await count()) >= sent ? true : null));
      expect(await count()).toBe(sent);
    }, 120_000);
  },
);
