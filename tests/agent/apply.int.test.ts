import { createServer, type Server } from 'node:net';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSelfSignedPair } from '@tandem/agent/adapters/certificates';
import { ApiError } from '@tandem/agent/cli/apiClient';
import type { GenerationSummary, StatusResponse } from '@tandem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet, namedBackend, type AgentHandle } from '@tandem/agent/testing/agentProcess';
import { freePort } from '../support/ports.js';
import { addWebService } from '../support/serviceEdits.js';
import { haproxyRuntimes, startAgentOn, type HaproxyRuntime } from '../support/haproxyRuntimes.js';

/**
 * The apply transaction against the real agent and the real HAProxy: success, HAProxy refusing
 * the config, a reload that fails to bind, bad input, and a burst of applies.
 */
describe.each(haproxyRuntimes().map((rt) => [rt.label, rt] as const))(
  'apply on the real %s',
  (_l, rt: HaproxyRuntime) => {
    let cleanup: () => Promise<void> = async () => undefined;
    let agent: AgentHandle;
    let backendA: Awaited<ReturnType<typeof namedBackend>>;
    let webPort: number;

    const status = () => agent.api.get<StatusResponse>('/v1/status');
    const desired = async () => (await status()).desired;
    const apiError = async (p: Promise<unknown>): Promise<ApiError> => {
      const e = await p.then(
        () => null,
        (err: unknown) => err,
      );
      if (!(e instanceof ApiError)) throw new Error(`expected an API error, got ${String(e)}`);
      return e;
    };

    beforeAll(async () => {
      backendA = await namedBackend('backend-a');
      webPort = await freePort();
      ({ agent, cleanup } = await startAgentOn(rt, 'apply', await freePort()));
      await addWebService(agent, webPort, [backendA.port]);
    });

    afterAll(async () => {
      await agent?.stop();
      backendA?.server.close();
      await cleanup();
    });

    describe('apply', () => {
      it('makes the latest generation run and serves traffic through it', async () => {
        const r = await agent.api.send<{ generation: number; outcome: string }>(
          'POST',
          '/v1/apply',
          {},
        );
        expect(r).toMatchObject({ generation: 2, outcome: 'reload' });
        const s = await status();
        expect(s).toMatchObject({ desired: 2, running: 2, pending: false, drift: [] });
        // The chrooted runtime really is Debian 13's HAProxy, not the host's again.
        if (rt.root !== '') expect(s.haproxy.version).toMatch(/^3\./);
        expect(await httpGet(webPort)).toEqual({ status: 200, body: 'backend-a' });
        expect(await agent.configOnDisk()).toContain('# unit test-unit, generation 2');
      });

      it('says unchanged when nothing is pending', async () => {
        expect(await agent.api.send('POST', '/v1/apply', {})).toMatchObject({
          generation: 2,
          outcome: 'unchanged',
        });
      });

      it('rejects bad input with the field named, and commits nothing', async () => {
        const before = await desired();
        const e = await apiError(
          agent.api.send('POST', '/v1/services', {
            base: before,
            template: 'tcp-port-map',
            params: { name: 'bad', port: 70000, servers: [] },
          }),
        );
        expect(e.status).toBe(400);
        expect(e.body.error.fields.map((f) => f.path)).toEqual(
          expect.arrayContaining(['params.port', 'params.servers']),
        );
        expect(await desired()).toBe(before);
      });

      it('previews a template edit over the API (dry run) without committing it', async () => {
        const before = await desired();
        const r = await agent.api.send<{ preview: { haproxy: string; haproxyCfg: string } }>(
          'PUT',
          '/v1/services/web/template?dryRun=true',
          {
            base: before,
            template: 'http-load-balancing',
            params: {
              name: 'web',
              port: webPort,
              servers: [{ address: '127.0.0.1', port: backendA.port }],
              healthPath: '/ready',
            },
          },
        );
        expect(r.preview.haproxy).toMatch(/^\+.*\/ready/m);
        expect(r.preview.haproxy).toMatch(/^-.*\/health/m);
        expect(r.preview.haproxyCfg).toContain(`:${webPort}`);
        expect(await desired()).toBe(before);
      });

      it('refuses a stale base with a conflict', async () => {
        const e = await apiError(agent.api.send('POST', '/v1/services/web/remove', { base: 1 }));
        expect(e.status).toBe(409);
        expect(e.body.error.code).toBe('conflict');
        expect(await desired()).toBe(2);
      });

      it('leaves the running generation and file untouched when HAProxy refuses the config', async () => {
        const fileBefore = await agent.configOnDisk();
        // A stored certificate whose file was damaged on disk since: the agent knows the name,
        // HAProxy cannot load the file (a name it does not know is refused before any apply).
        const pair = await createSelfSignedPair('damaged.test');
        await agent.api.send('POST', '/v1/certificates', {
          name: 'not-uploaded',
          pem: pair.cert + pair.key,
        });
        await writeFile(join(agent.stateDir, 'certs/not-uploaded.pem'), 'damaged\n');
        await agent.api.send('PUT', '/v1/services/secure', {
          base: await desired(),
          service: {
            name: 'secure',
            mode: 'http',
            binds: [{ address: '127.0.0.1', port: await freePort(), tls: true }],
            tls: { certificate: 'not-uploaded' },
            defaultBackend: 'app',
            backends: [
              { name: 'app', servers: [{ name: 's1', address: '127.0.0.1', port: backendA.port }] },
            ],
          },
        });
        const e = await apiError(agent.api.send('POST', '/v1/apply', {}));
        expect(e.status).toBe(422);
        expect(e.body.error.code).toBe('apply_failed');
        expect(
          e.body.error.fields.some(
            (f) => f.path === 'services[1].binds[0]' && /not-uploaded\.pem/.test(f.message),
          ),
        ).toBe(true);
        expect(await status()).toMatchObject({
          desired: 3,
          running: 2,
          pending: true,
          lastApply: { generation: 3, ok: false },
        });
        expect(await agent.configOnDisk()).toBe(fileBefore);
        expect(existsSync(join(agent.stateDir, 'haproxy.cfg.failed'))).toBe(true);
        expect(await httpGet(webPort)).toEqual({ status: 200, body: 'backend-a' });
        await agent.api.send('POST', '/v1/services/secure/remove', { base: 3 });
        expect(await agent.api.send('POST', '/v1/apply', {})).toMatchObject({
          generation: 4,
          outcome: 'reload',
        });
      });

      it('keeps the old worker serving when a reload cannot bind, and reports it', async () => {
        const busyPort = await freePort();
        const squatter: Server = createServer();
        await new Promise<void>((r) => squatter.listen(busyPort, '127.0.0.1', r));
        try {
          const base = await desired();
          await agent.api.send('POST', '/v1/services', {
            base,
            template: 'tcp-port-map',
            params: {
              name: 'clash',
              address: '127.0.0.1',
              port: busyPort,
              servers: [{ address: '127.0.0.1', port: backendA.port }],
            },
          });
          const fileBefore = await agent.configOnDisk();
          const e = await apiError(agent.api.send('POST', '/v1/apply', {}));
          expect(e.body.error.code).toBe('reload_failed');
          expect(
            e.body.error.message + e.body.error.fields.map((f) => f.message).join(' '),
          ).toMatch(/bind|Address already in use|old worker/i);
          const s = await status();
          expect(s.running).toBe(base);
          expect(s.haproxy.running).toBe(true);
          expect(await agent.configOnDisk()).toBe(fileBefore);
          expect(await httpGet(webPort)).toEqual({ status: 200, body: 'backend-a' });
        } finally {
          await new Promise((r) => squatter.close(r));
        }
        // With the port free again, the same generation applies.
        expect(await agent.api.send('POST', '/v1/apply', {})).toMatchObject({ outcome: 'reload' });
        expect((await status()).pending).toBe(false);
      });

      it('coalesces a burst of applies: all callers answered, the last generation runs', async () => {
        const results: Promise<{ generation: number }>[] = [];
        let base = await desired();
        for (let i = 0; i < 5; i++) {
          const r = await agent.api.send<{ generation: GenerationSummary }>(
            'PUT',
            '/v1/services/burst',
            {
              base,
              service: {
                name: 'burst',
                mode: 'http',
                binds: [{ address: '127.0.0.1', port: await freePort() }],
                defaultBackend: 'app',
                backends: [
                  {
                    name: 'app',
                    servers: [{ name: `s${i}`, address: '127.0.0.1', port: backendA.port }],
                  },
                ],
              },
              message: `burst ${i}`,
            },
          );
          base = r.generation.number;
          results.push(agent.api.send('POST', '/v1/apply', {}));
        }
        const answers = await Promise.all(results);
        const last = await desired();
        expect(answers.at(-1)?.generation).toBe(last);
        // Each caller got a generation at least as new as the one it asked for, in order.
        answers.forEach((a, i) => expect(a.generation).toBeGreaterThanOrEqual(last! - 4 + i));
        expect(new Set(answers.map((a) => a.generation)).size).toBeLessThan(5);
        expect((await status()).running).toBe(last);
      });
    });
  },
);
