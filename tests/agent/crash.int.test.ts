import { unixCommand } from '@tandem/agent/adapters/unixCommand';
import type { StatusResponse } from '@tandem/core';
import { APPLY_PHASES } from '@tandem/agent/services/apply';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet, type AgentHandle } from '@tandem/agent/testing/agentProcess';
import { haproxyRuntimes, type HaproxyRuntime } from '../support/haproxyRuntimes.js';
import { startWebUnit, type WebUnit } from '../support/webUnit.js';

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

    let unit: WebUnit;
    let agent: AgentHandle;
    let port: number;

    beforeAll(async () => {
      unit = await startWebUnit(rt, 'crash-backend');
      ({ agent, port } = unit);
    });

    afterAll(() => unit?.stop());

    it(`stays consistent when the agent is killed at each step of an apply (${APPLY_PHASES.length} steps)`, async () => {
      const outcomes: string[] = [];
      for (const [i, phase] of APPLY_PHASES.entries()) {
        const r = { generation: await unit.putWeb(`s${i}`, `crash round ${i}`) };
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
