import { unixCommand } from '@tandem/agent/adapters/unixCommand';
import type { GenerationSummary, StatusResponse } from '@tandem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet, namedBackend, type AgentHandle } from '@tandem/agent/testing/agentProcess';
import { freePort } from '../support/ports.js';
import { haproxyRuntimes, startAgentOn, type HaproxyRuntime } from '../support/haproxyRuntimes.js';

/**
 * kill -9 of the agent at points spread over an apply (before the check, during it, around the
 * swap and the reload, after). Each restart must find a store that opens (integrity check), a
 * running generation that is a committed one, a worker that reports exactly that generation, and
 * that generation's file on disk. HAProxy itself survives the agent and is adopted on restart.
 */
describe.each(haproxyRuntimes().map((rt) => [rt.label, rt] as const))(
  'crash on the real %s',
  (_l, rt: HaproxyRuntime) => {
    const DELAYS_MS = [0, 5, 15, 30, 50, 80, 120, 200];

    let cleanup: () => Promise<void> = async () => undefined;
    let agent: AgentHandle;
    let backend: Awaited<ReturnType<typeof namedBackend>>;
    let port: number;

    beforeAll(async () => {
      backend = await namedBackend('crash-backend');
      port = await freePort();
      ({ agent, cleanup } = await startAgentOn(rt, 'crash', await freePort()));
    });

    afterAll(async () => {
      await agent?.stop();
      backend?.server.close();
      await cleanup();
    });

    it(`stays consistent when the agent is killed mid-apply (${DELAYS_MS.length} points)`, async () => {
      const outcomes: string[] = [];
      for (const [i, delay] of DELAYS_MS.entries()) {
        const s = await agent.api.get<StatusResponse>('/v1/status');
        const r = await agent.api.send<{ generation: GenerationSummary }>(
          'PUT',
          '/v1/services/web',
          {
            base: s.desired,
            service: {
              name: 'web',
              mode: 'http',
              binds: [{ address: '127.0.0.1', port }],
              defaultBackend: 'app',
              backends: [
                {
                  name: 'app',
                  servers: [{ name: `s${i}`, address: '127.0.0.1', port: backend.port }],
                },
              ],
            },
            message: `crash round ${i}`,
          },
        );
        const apply = agent.api.send('POST', '/v1/apply', {}).catch(() => 'interrupted');
        await new Promise((res) => setTimeout(res, delay));
        await agent.kill9();
        await apply;
        await agent.start();

        const after = await agent.api.get<StatusResponse>('/v1/status');
        expect(after.running).not.toBeNull();
        expect([r.generation.number - 1, r.generation.number]).toContain(after.running);
        const info = await unixCommand(`${agent.stateDir}/run/master.sock`, '@1 show info');
        expect(info).toContain(`description: generation ${after.running}`);
        const rendered = await agent.api.text(`/v1/config/haproxy.cfg?generation=${after.running}`);
        expect(await agent.configOnDisk()).toBe(rendered);
        expect(after.haproxy.running).toBe(true);
        outcomes.push(after.running === r.generation.number ? 'completed' : 'rolled back');

        // The unit keeps working: the pending generation, if any, applies normally.
        await agent.api.send('POST', '/v1/apply', {});
        expect((await agent.api.get<StatusResponse>('/v1/status')).pending).toBe(false);
      }
      expect((await httpGet(port)).body).toBe('crash-backend');
      console.log(`crash test: ${outcomes.join(', ')}`);
    }, 120_000);
  },
);
