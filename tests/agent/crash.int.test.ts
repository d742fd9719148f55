import { unixCommand } from '@tandem/agent/adapters/unixCommand';
import type { GenerationSummary, StatusResponse } from '@tandem/core';
import { APPLY_PHASES } from '@tandem/agent/services/apply';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet, namedBackend, type AgentHandle } from '@tandem/agent/testing/agentProcess';
import { freePort } from '../support/ports.js';
import { haproxyRuntimes, startAgentOn, type HaproxyRuntime } from '../support/haproxyRuntimes.js';

/**
 * kill -9 of the agent at each step of an apply, by name (TANDEM_CRASH_AT makes the agent kill
 * itself there, and say so first): before the check, after it, with the new file on disk, with
 * the server state saved, with the reload sent, verified, marked running. Each restart must find
 * a store that opens (integrity check), the generation the step implies running (the old one
 * before the reload was sent, the new one from then on), a worker that reports exactly that
 * generation, and that generation's file on disk. HAProxy survives the agent and is adopted.
 */
describe.each(haproxyRuntimes().map((rt) => [rt.label, rt] as const))(
  'crash on the real %s',
  (_l, rt: HaproxyRuntime) => {
    const BEFORE_RELOAD = ['applying', 'checked', 'written', 'state-saved'];

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

    it(`stays consistent when the agent is killed at each step of an apply (${APPLY_PHASES.length} steps)`, async () => {
      const outcomes: string[] = [];
      for (const [i, phase] of APPLY_PHASES.entries()) {
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
        // This round's agent dies at `phase` of the apply; HAProxy stays up.
        await agent.kill9();
        await agent.start({ TANDEM_CRASH_AT: phase });
        const apply = agent.api.send('POST', '/v1/apply', {}).catch(() => 'interrupted');
        await agent.exited();
        expect(await apply).toBe('interrupted');
        expect(agent.log()).toContain(`crash point ${phase}: killing the agent`);
        await agent.start();

        const after = await agent.api.get<StatusResponse>('/v1/status');
        // Where the kill landed decides what runs: nothing changed before the reload was sent.
        expect(after.running).toBe(
          BEFORE_RELOAD.includes(phase) ? r.generation.number - 1 : r.generation.number,
        );
        const info = await unixCommand(`${agent.stateDir}/run/master.sock`, '@1 show info');
        expect(info).toContain(`description: generation ${after.running}`);
        const rendered = await agent.api.text(`/v1/config/haproxy.cfg?generation=${after.running}`);
        expect(await agent.configOnDisk()).toBe(rendered);
        expect(after.haproxy.running).toBe(true);
        outcomes.push(
          `${phase}: ${after.running === r.generation.number ? 'completed' : 'rolled back'}`,
        );

        // The unit keeps working: the pending generation, if any, applies normally.
        await agent.api.send('POST', '/v1/apply', {});
        expect((await agent.api.get<StatusResponse>('/v1/status')).pending).toBe(false);
      }
      expect((await httpGet(port)).body).toBe('crash-backend');
      console.log(`crash test: ${outcomes.join(', ')}`);
    }, 120_000);
  },
);
