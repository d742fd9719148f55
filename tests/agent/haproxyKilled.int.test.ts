import type { StatusResponse } from '@tandem/core';
import { httpGet } from '@tandem/agent/testing/agentProcess';
import { unixCommand } from '@tandem/agent/adapters/unixCommand';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyRuntimes, type HaproxyRuntime } from '../support/haproxyRuntimes.js';
import { startWebUnit, type WebUnit } from '../support/webUnit.js';

/**
 * HAProxy killed under the agent (issue 20): its master gets SIGKILL while an apply is under way.
 * Whichever way the apply went (the kill may land before, during or after its reload), the agent
 * starts HAProxy again by itself with a committed generation, the store says which, that is what
 * the new worker runs, and the service answers; the next apply works.
 */
describe.each(haproxyRuntimes().map((rt) => [rt.label, rt] as const))(
  'HAProxy killed on the real %s',
  (_l, rt: HaproxyRuntime) => {
    let unit: WebUnit;
    beforeAll(async () => {
      unit = await startWebUnit(rt, 'killed-backend');
      await unit.putWeb('s0', 'first');
      await unit.agent.api.send('POST', '/v1/apply', {});
    });
    afterAll(() => unit?.stop());

    it('is started again with a committed generation when killed during an apply', async () => {
      const { agent, port } = unit;
      for (let i = 1; i <= 5; i++) {
        const before = await unit.status();
        const pending = await unit.putWeb(`s${i}`, `killed ${i}`);
        const apply = agent.api.send('POST', '/v1/apply', {}).then(
          () => 'applied',
          () => 'failed',
        );
        process.kill(before.haproxy.masterPid!, 'SIGKILL');
        const outcome = await apply;
        // A new master, its worker reporting what the store says runs.
        await expect
          .poll(
            async () => {
              const s = await unit.status();
              return s.haproxy.running && s.haproxy.masterPid !== before.haproxy.masterPid;
            },
            { timeout: 30_000, interval: 100 },
          )
          .toBe(true);
        const s = await unit.status();
        expect([before.running, pending.number], `round ${i}: ${outcome}`).toContain(s.running);
        const info = await unixCommand(`${agent.stateDir}/run/master.sock`, '@1 show info');
        expect(info, `round ${i}`).toContain(`description: generation ${s.running}`);
        expect(await agent.configOnDisk()).toBe(
          await agent.api.text(`/v1/config/haproxy.cfg?generation=${s.running}`),
        );
        await expect
          .poll(
            () =>
              httpGet(port).then(
                (r) => r.body,
                () => '',
              ),
            { timeout: 30_000 },
          )
          .toBe('killed-backend');
        // The unit goes on: whatever waits is applied normally.
        await agent.api.send('POST', '/v1/apply', {});
        expect((await agent.api.get<StatusResponse>('/v1/status')).running).toBe(pending.number);
      }
    }, 180_000);
  },
);
