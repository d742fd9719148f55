import { execFile } from 'node:child_process';
import { rename } from 'node:fs/promises';
import { promisify } from 'node:util';
import { unixCommand } from '@tandem/agent/adapters/unixCommand';
import type { GenerationSummary, StatusResponse } from '@tandem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet, namedBackend, type AgentHandle } from '@tandem/agent/testing/agentProcess';
import { freePort } from '../support/ports.js';
import { haproxyRuntimes, startAgentOn, type HaproxyRuntime } from '../support/haproxyRuntimes.js';

const run = promisify(execFile);

/** History, diff, rollback, runtime changes that survive a reload, drift, and tandemctl itself. */
describe.each(haproxyRuntimes().map((rt) => [rt.label, rt] as const))(
  'generations on the real %s',
  (_l, rt: HaproxyRuntime) => {
    let cleanup: () => Promise<void> = async () => undefined;
    let agent: AgentHandle;
    let a: Awaited<ReturnType<typeof namedBackend>>;
    let b: Awaited<ReturnType<typeof namedBackend>>;
    let port: number;

    const status = () => agent.api.get<StatusResponse>('/v1/status');
    const tandemctl = (...args: string[]) =>
      run(process.execPath, [
        '../agent/bin/tandemctl.js',
        '--socket',
        `${agent.stateDir}/agent.sock`,
        ...args,
      ]).then(
        (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({
          code: e.code,
          out: e.stdout,
          err: e.stderr,
        }),
      );

    beforeAll(async () => {
      [a, b] = await Promise.all([namedBackend('a'), namedBackend('b')]);
      port = await freePort();
      ({ agent, cleanup } = await startAgentOn(rt, 'generations', await freePort()));
    });

    afterAll(async () => {
      await agent?.stop();
      a?.server.close();
      b?.server.close();
      await cleanup();
    });

    describe('generations through tandemctl', () => {
      it('adds a service from a template, applies it, and reports status as JSON', async () => {
        const add = await tandemctl(
          'service',
          'add',
          '--template',
          'http-load-balancing',
          '--set',
          'name=web',
          '--set',
          `port=${port}`,
          '--set',
          `servers=127.0.0.1:${a.port}`,
          '-m',
          'first web',
        );
        expect(add).toMatchObject({ code: 0 });
        expect(add.out).toMatch(/generation 2 committed/);
        expect((await tandemctl('apply')).out).toMatch(/generation 2 is running/);
        const s = JSON.parse((await tandemctl('status', '--json')).out) as StatusResponse;
        expect(s).toMatchObject({ desired: 2, running: 2 });
        expect(await httpGet(port)).toEqual({ status: 200, body: 'a' });
      });

      it('edits a service, diffs generations and rolls back', async () => {
        expect(
          (
            await tandemctl(
              'service',
              'edit',
              'web',
              '--set',
              `backends.0.servers.0.port=${b.port}`,
            )
          ).code,
        ).toBe(0);
        await tandemctl('apply');
        expect(await httpGet(port)).toEqual({ status: 200, body: 'b' });
        const diff = await tandemctl('diff', '2', '3');
        expect(diff.out).toMatch(new RegExp(`-    server web1 127\\.0\\.0\\.1:${a.port} `));
        expect(diff.out).toMatch(new RegExp(`\\+    server web1 127\\.0\\.0\\.1:${b.port} `));
        const rb = await tandemctl('rollback', '2', '-m', 'back to a');
        expect(rb.out).toMatch(/generation 4 committed \(back to a\)/);
        await tandemctl('apply');
        expect(await httpGet(port)).toEqual({ status: 200, body: 'a' });
        const history = JSON.parse(
          (await tandemctl('history', '--json')).out,
        ) as GenerationSummary[];
        expect(history.map((g) => [g.number, g.origin])).toEqual([
          [4, 'rollback'],
          [3, 'change'],
          [2, 'change'],
          [1, 'change'],
        ]);
        expect(history.at(-1)?.author).toBe('system');
        expect(history[0]?.parentHash).toBe(history[1]?.hash);
        const g2 = await agent.api.get<{ config: unknown }>('/v1/generations/2');
        const g4 = await agent.api.get<{ config: unknown }>('/v1/generations/4');
        expect(g4.config).toEqual(g2.config);
      });

      it('exits non-zero with the fields named on a bad request', async () => {
        const r = await tandemctl(
          'service',
          'add',
          '--template',
          'http-load-balancing',
          '--set',
          'name=bad name',
          '--set',
          'servers=127.0.0.1:1',
        );
        expect(r.code).toBe(1);
        expect(r.err).toMatch(/params\.name: must be 1-64 characters/);
        expect((await tandemctl('frobnicate')).code).toBe(2);
      });
    });

    describe('runtime changes', () => {
      it('drains a server live, and the drain survives a reload', async () => {
        const before = (await status()).haproxy.workerPid;
        const r = await tandemctl('server', 'set', 'web/web1', '--state', 'drain');
        expect(r.out).toMatch(/live, no reload \(set server web\.app\/web1 state drain\)/);
        expect((await status()).haproxy.workerPid).toBe(before);
        // Any other change reloads HAProxy; the drained server must come back drained.
        await tandemctl(
          'service',
          'add',
          '--template',
          'tcp-port-map',
          '--set',
          'name=other',
          '--set',
          'address=127.0.0.1',
          '--set',
          `port=${await freePort()}`,
          '--set',
          `servers=127.0.0.1:${b.port}`,
        );
        await tandemctl('apply');
        const s = await status();
        expect(s.haproxy.workerPid).not.toBe(before);
        expect(s.drift).toEqual([]);
        const state = await unixCommand(
          `${agent.stateDir}/run/haproxy.sock`,
          'show servers state web.app',
        );
        expect(state).toMatch(/ web1 127\.0\.0\.1 \d+ \d+ 0 /); // op state, admin state, then user weight 0
        expect((await tandemctl('config', 'show')).out).toMatch(
          /server web1 127\.0\.0\.1:\d+ weight 0 check/,
        );
      });

      it('reports drift when someone changes HAProxy behind the agent', async () => {
        await unixCommand(
          `${agent.stateDir}/run/haproxy.sock`,
          'set server web.app/web1 state maint',
        );
        const s = await status();
        expect(s.drift).toEqual([
          { server: 'web.app/web1', field: 'state', running: 'drain', live: 'maint' },
        ]);
        expect((await tandemctl('status')).out).toMatch(
          /web\.app\/web1 state: running drain, live maint/,
        );
        await tandemctl('server', 'set', 'web/web1', '--state', 'ready');
        expect((await status()).drift).toEqual([]);
      });
    });

    describe('scaling servers', () => {
      it('adds and removes servers live, without a reload', async () => {
        const pid = (await status()).haproxy.workerPid;
        const add = await tandemctl(
          'server',
          'add',
          'web/app',
          'web2',
          '--addr',
          `127.0.0.1:${b.port}`,
          '--weight',
          '2',
        );
        expect(add.out).toMatch(/live, no reload/);
        const state = await unixCommand(
          `${agent.stateDir}/run/haproxy.sock`,
          'show servers state web.app',
        );
        expect(state).toMatch(new RegExp(` web2 127\\.0\\.0\\.1 \\d+ 0 2 `));
        expect((await status()).drift).toEqual([]);
        const seen = new Set<string>();
        for (let i = 0; i < 6; i++) seen.add((await httpGet(port)).body);
        expect(seen).toEqual(new Set(['a', 'b']));
        const rm = await tandemctl('server', 'rm', 'web/web2');
        expect(rm.out).toMatch(/live, no reload/);
        expect(
          await unixCommand(`${agent.stateDir}/run/haproxy.sock`, 'show servers state web.app'),
        ).not.toMatch(/ web2 /);
        const s = await status();
        expect(s.haproxy.workerPid).toBe(pid);
        expect(s.drift).toEqual([]);
        expect(s.pending).toBe(false);
      });

      it('says drift is unknown, not none, when the Runtime API does not answer', async () => {
        const sock = `${agent.stateDir}/run/haproxy.sock`;
        await rename(sock, `${sock}.away`);
        try {
          expect((await status()).drift).toBeNull();
        } finally {
          await rename(`${sock}.away`, sock);
        }
        expect((await status()).drift).toEqual([]);
      });
    });

    describe('the API itself', () => {
      it('keeps its socket private to owner and group', async () => {
        const { stat } = await import('node:fs/promises');
        expect((await stat(`${agent.stateDir}/agent.sock`)).mode & 0o777).toBe(0o660);
      });

      it('serves an OpenAPI document generated from the contract schemas', async () => {
        const doc = await agent.api.get<{
          openapi: string;
          paths: Record<
            string,
            Record<
              string,
              {
                parameters: { name: string; in: string }[];
                requestBody?: { content: Record<string, { schema: { properties?: object } }> };
                responses: Record<
                  string,
                  { content?: Record<string, { schema?: { properties?: object } }> }
                >;
              }
            >
          >;
        }>('/openapi.json');
        expect(doc.openapi).toBe('3.1.0');
        expect(Object.keys(doc.paths)).toEqual(
          expect.arrayContaining([
            '/v1/status',
            '/v1/apply',
            '/v1/generations/{n}',
            '/v1/servers/{service}/{server}',
            '/v1/backends/{service}/{backend}/servers',
            '/openapi.json',
          ]),
        );
        const status =
          doc.paths['/v1/status']?.get?.responses['200']?.content?.['application/json']?.schema;
        expect(Object.keys(status?.properties ?? {})).toEqual(
          expect.arrayContaining(['desired', 'running', 'drift', 'haproxy']),
        );
        // Logs, stats, auth, cluster and backup are described from the schemas their routes
        // parse with: query parameters, request bodies, and the answers that have a schema.
        const query = (path: string) =>
          (doc.paths[path]?.get?.parameters ?? [])
            .filter((p) => p.in === 'query')
            .map((p) => p.name);
        expect(query('/v1/logs')).toEqual(
          expect.arrayContaining(['q', 'service', 'backend', 'limit']),
        );
        expect(query('/v1/events')).toEqual(expect.arrayContaining(['kind', 'limit']));
        expect(query('/v1/stats/series')).toContain('entity');
        expect(query('/v1/audit')).toEqual(['limit', 'user', 'kind', 'q', 'from', 'to', 'before']);
        const body = (path: string) =>
          Object.keys(
            doc.paths[path]?.post?.requestBody?.content['application/json']?.schema.properties ??
              {},
          );
        expect(body('/v1/auth/login')).toEqual(expect.arrayContaining(['name', 'password']));
        expect(body('/v1/cluster/pair')).toEqual(expect.arrayContaining(['address', 'code']));
        expect(body('/v1/restore')).not.toEqual([]);
        const answer = (path: string) =>
          Object.keys(
            doc.paths[path]?.get?.responses['200']?.content?.['application/json']?.schema
              ?.properties ?? {},
          );
        expect(answer('/v1/cluster')).not.toEqual([]);
        expect(answer('/v1/backup')).not.toEqual([]);
        expect(answer('/v1/auth/session')).toEqual(expect.arrayContaining(['user', 'role']));
      });

      it('answers unknown routes and malformed bodies with typed errors', async () => {
        await expect(agent.api.get('/v1/nope')).rejects.toMatchObject({
          status: 404,
          body: { error: { code: 'not_found' } },
        });
        await expect(agent.api.send('POST', '/v1/rollback', { to: 'two' })).rejects.toMatchObject({
          status: 400,
          body: {
            error: {
              code: 'bad_request',
              // The message names a field in words (a toast or a script shows only this).
              message: expect.stringMatching(/^(to|base): .+ \(and 1 more\)$/),
              fields: expect.arrayContaining([expect.objectContaining({ path: 'to' })]),
            },
          },
        });
        // A malformed %-escape in the path is the client's error (it answered 500).
        await expect(agent.api.get('/v1/generations/%E0%A4%A')).rejects.toMatchObject({
          status: 400,
          body: { error: { code: 'bad_request', fields: [{ path: 'n' }] } },
        });
        // A limit out of range is named, not taken as "everything" (limit=-1 returned it all).
        await expect(agent.api.get('/v1/audit?limit=-1')).rejects.toMatchObject({
          status: 400,
          body: { error: { fields: [expect.objectContaining({ path: 'limit' })] } },
        });
      });

      it('lists and shows templates and the rendered config through tandemctl', async () => {
        expect((await tandemctl('template', 'list')).out).toMatch(
          /redis-master\s+Send Redis clients only/,
        );
        expect((await tandemctl('template', 'show', 'cache-farm')).out).toMatch(/hashOn\s+"path"/);
        const cfg = JSON.parse((await tandemctl('config', 'show', '--json')).out) as {
          haproxyCfg: string;
        };
        expect(cfg.haproxyCfg).toMatch(/^frontend web$/m);
        expect((await tandemctl('service', 'list')).out).toMatch(/^web\s+http\s+\*:\d+/m);
      });

      it('previews a change with --dry-run and commits nothing', async () => {
        const before = (await agent.api.get<{ desired: number }>('/v1/status')).desired;
        const r = await tandemctl(
          'service',
          'add',
          '--template',
          'tcp-port-map',
          '--set',
          'name=ssh',
          '--set',
          'port=2222',
          '--set',
          'servers=127.0.0.1:22',
          '--dry-run',
        );
        expect(r.out).toMatch(/^\+frontend ssh$/m);
        expect(r.out).toMatch(/^\+\s+bind \*:2222$/m);
        expect((await agent.api.get<{ desired: number }>('/v1/status')).desired).toBe(before);
      });
    });
  },
);
