import { ApiError } from '@tandem/agent/cli/apiClient';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { httpGet, namedBackend, type AgentHandle } from '@tandem/agent/testing/agentProcess';
import type { StatusResponse } from '@tandem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyRuntimes, startAgentOn, type HaproxyRuntime } from '../support/haproxyRuntimes.js';
import { freePort } from '../support/ports.js';
import { sendLines } from '../support/logLines.js';

const run = promisify(execFile);

interface Row {
  id: number;
  status: number | null;
  url: string | null;
  host: string | null;
  userAgent: string | null;
  frontend: string | null;
  backend: string | null;
  server: string | null;
  method: string | null;
  termination: string | null;
  parseError: string | null;
  raw: string | null;
  timers: { total: number | null };
}

/** Logs from a real HAProxy, through the agent's UDP ingest, into the store and back out. */
describe.each(haproxyRuntimes().map((rt) => [rt.label, rt] as const))(
  'logs on the real %s',
  (_l, rt: HaproxyRuntime) => {
    let agent: AgentHandle;
    let cleanup: () => Promise<void> = async () => undefined;
    let backend: Awaited<ReturnType<typeof namedBackend>>;
    let port: number;

    const logs = (query: string) =>
      agent.api.get<{ items: Row[]; next: number | null }>(`/v1/logs?${query}`);
    // Waits for lines that will come; how soon they come is a figure (npm run bench -- logs).
    const waitFor = async (query: string, count: number) => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const r = await logs(query);
        if (r.items.length >= count || Date.now() > deadline) return r.items;
        await new Promise((res) => setTimeout(res, 50));
      }
    };

    beforeAll(async () => {
      backend = await namedBackend('logged');
      port = await freePort();
      ({ agent, cleanup } = await startAgentOn(rt, 'logs', await freePort()));
      await agent.api.send('POST', '/v1/services', {
        base: (await agent.api.get<StatusResponse>('/v1/status')).desired,
        template: 'http-load-balancing',
        params: {
          name: 'web',
          address: '127.0.0.1',
          port,
          servers: [{ address: '127.0.0.1', port: backend.port }],
          healthPath: '/health',
        },
      });
      await agent.api.send('POST', '/v1/apply', {});
    });

    afterAll(async () => {
      await agent?.stop();
      backend?.server.close();
      await cleanup();
    });

    it('stores a request with its fields', async () => {
      expect((await httpGet(port, '/shop/cart?id=7')).status).toBe(200);
      const [row] = await waitFor('q=cart', 1);
      expect(row).toMatchObject({
        status: 200,
        method: 'GET',
        url: `http://127.0.0.1:${port}/shop/cart?id=7`,
        host: `127.0.0.1:${port}`,
        frontend: 'web',
        backend: 'web.app',
        server: 'web1',
        termination: '----',
        parseError: null,
      });
      expect(row?.timers.total).toBeGreaterThanOrEqual(0);
    });

    it('filters by the names the Services page shows: service, and backend as web/app', async () => {
      await httpGet(port, '/named-filters');
      const [row] = await waitFor('q=named', 1);
      expect(row?.backend).toBe('web.app');
      for (const f of ['service=web', 'backend=web%2Fapp', 'backend=web.app']) {
        expect((await logs(`q=named&${f}`)).items.map((r) => r.id)).toEqual([row?.id]);
      }
      expect((await logs('q=named&service=other')).items).toEqual([]);
      const bad = await logs('backend=web%2Fapp%2Fx').then(
        () => null,
        (e: unknown) => e,
      );
      expect(bad).toBeInstanceOf(ApiError);
      expect((bad as ApiError).body.error.fields).toEqual([
        { path: 'backend', message: 'must be a backend like web/app' },
      ]);
    });

    it('filters by status class and exports NDJSON and CSV', async () => {
      await httpGet(port, '/missing-server-check');
      const ok = await waitFor('status=2xx&frontend=web', 2);
      expect(ok.every((r) => r.status !== null && r.status >= 200 && r.status < 300)).toBe(true);
      expect(await logs('status=5xx')).toMatchObject({ items: [] });
      const ndjson = await agent.api.text('/v1/logs/export?format=ndjson&q=cart');
      const records = ndjson
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(records.map((r) => r.url)).toEqual([`http://127.0.0.1:${port}/shop/cart?id=7`]);
      // Every field, the time in ISO 8601 as well as epoch milliseconds.
      expect(records[0]).toMatchObject({
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        at: expect.any(Number),
        totalMs: expect.any(Number),
        responseMs: expect.any(Number),
      });
      expect(Object.keys(records[0] ?? {})).toEqual(
        expect.arrayContaining(['userAgent', 'host', 'requestMs', 'queueMs', 'connectMs']),
      );
      expect(new Date(String(records[0]?.time)).getTime()).toBe(records[0]?.at);
      const csv = await agent.api.text('/v1/logs/export?format=csv&q=cart');
      expect(csv.split('\r\n')[0]).toBe(
        'id,time,at,kind,frontend,backend,server,clientIp,clientPort,status,method,url,host,uri,userAgent,bytes,requestMs,queueMs,connectMs,responseMs,totalMs,termination,retries,tls,parseError,raw',
      );
      expect(csv).toContain(`http://127.0.0.1:${port}/shop/cart?id=7`);
    });

    it('keeps malformed and oversized lines raw, flagged with the reason', async () => {
      await sendLines(agent.logPort, [
        'this is not a log line',
        `<134>Nov 21 14:00:00 haproxy[1]: 198.18.0.1:1 [${'x'.repeat(60_000)}`,
      ]);
      const rows = await waitFor('errors=1', 2);
      expect(rows.map((r) => r.parseError)).toEqual([
        'line longer than 16 KiB',
        'not a syslog line',
      ]);
      expect(rows[1]?.raw).toBe('this is not a log line');
      expect(rows[0]?.raw?.length).toBeGreaterThan(60_000);
      // Lines that did not parse are counted when the indexer summarizes their block (ADR
      // 0017), a moment after they are stored: wait for the agent to say so.
      const deadline = Date.now() + 10_000;
      let s = await agent.api.get<StatusResponse>('/v1/status');
      while ((s.logs?.parseErrors ?? 0) < 2 && Date.now() < deadline) {
        await new Promise((res) => setTimeout(res, 50));
        s = await agent.api.get<StatusResponse>('/v1/status');
      }
      expect(s.logs).toMatchObject({ dropped: 0 });
      expect(s.logs?.parseErrors).toBeGreaterThanOrEqual(2);
    });

    it("keeps HAProxy's own notices as messages", async () => {
      await sendLines(agent.logPort, [
        '<129>Nov 21 14:00:00 haproxy[9]: Server web.app/web9 is DOWN, reason: Layer4 timeout.',
      ]);
      let notice: Row | undefined;
      const deadline = Date.now() + 2000;
      while (!notice && Date.now() < deadline) {
        notice = (await logs('limit=1000')).items.find((r) =>
          r.raw?.startsWith('Server web.app/web9 is DOWN'),
        );
        if (!notice) await new Promise((res) => setTimeout(res, 50));
      }
      expect(notice).toMatchObject({ parseError: null, status: null });
    });

    it('shows logs through tandemctl', async () => {
      const { stdout } = await run(process.execPath, [
        '../agent/bin/tandemctl.js',
        '--socket',
        `${agent.stateDir}/agent.sock`,
        'logs',
        '--q',
        'cart',
      ]);
      expect(stdout).toMatch(
        new RegExp(
          `200 GET\\s+http://127\\.0\\.0\\.1:${port}/shop/cart\\?id=7\\s+web -> web\\.app/web1`,
        ),
      );
      // HAProxy's own messages read as what they are (the notice stored by the test above).
      const all = await run(process.execPath, [
        '../agent/bin/tandemctl.js',
        '--socket',
        `${agent.stateDir}/agent.sock`,
        'logs',
        '--limit',
        '1000',
      ]);
      expect(all.stdout).toMatch(
        /\[haproxy\] Server web\.app\/web9 is DOWN, reason: Layer4 timeout\./,
      );
    });
  },
);
