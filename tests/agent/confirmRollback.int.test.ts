import { join } from 'node:path';
import { startAgent, type AgentHandle } from '@tandem/agent/testing/agentProcess';
import type { ApplianceConfig, ApplyResponse, GenerationSummary } from '@tandem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/ports.js';
import { call } from '../support/socketCall.js';
import { withTempDir } from '../support/tempDir.js';

/**
 * Confirm-or-rollback (design rule 10, ADR 0015) on a real agent: a change made from the
 * console that takes a VIP away (an address the operator may be using) runs at once and is
 * rolled back unless the console confirms within the window (1.5 s here); from the operator's
 * socket on the unit nothing waits.
 */
const PW = 'a long enough passphrase';
let agent: AgentHandle;
let cleanup: () => Promise<void>;
let sock: string;
let token = '';

const withVip = (c: ApplianceConfig, vip: string | null) => ({
  ...c,
  cluster: {
    instances: vip
      ? [{ name: 'edge', vrid: 51, vips: [{ name: 'web', address: vip, prefixLength: 24 }] }]
      : [],
  },
});
const latest = async () =>
  (await agent.api.get<GenerationSummary[]>('/v1/generations?limit=1'))[0]!;
const running = async () => (await agent.api.get<{ running: number | null }>('/v1/status')).running;
const vips = async () =>
  (await agent.api.get<{ config: ApplianceConfig }>('/v1/config')).config.cluster.instances.flatMap(
    (i) => i.vips.map((v) => v.address),
  );
/** From the console: the config with (or without) the VIP, then an apply. */
async function consoleChange(vip: string | null) {
  const current = await agent.api.get<{ generation: number; config: ApplianceConfig }>(
    '/v1/config',
  );
  const put = await call(sock, 'PUT', '/v1/config', token, {
    base: current.generation,
    config: withVip(current.config, vip),
    message: vip ? `VIP ${vip}` : 'no VIP',
  });
  expect(put.status).toBe(200);
  const applied = await call(sock, 'POST', '/v1/apply', token, {});
  expect(applied.status).toBe(200);
  return applied.body as unknown as ApplyResponse;
}

beforeAll(async () => {
  const tmp = await withTempDir('confirm');
  cleanup = tmp.cleanup;
  agent = await startAgent(join(tmp.dir, 'unit'), await freePort(), {
    env: { TANDEM_CONFIRM_WINDOW_MS: '1500' },
  });
  sock = join(agent.stateDir, 'console.sock');
  const setupToken = /setup token (\S+)/.exec(agent.log())?.[1];
  const setup = await call(sock, 'POST', '/v1/auth/setup', undefined, {
    token: setupToken,
    name: 'ann',
    password: PW,
  });
  token = String(setup.body.token);
});
afterAll(async () => {
  await agent.stop();
  await cleanup();
});

describe('confirm or roll back', () => {
  it('adds a VIP from the console with nothing to confirm', async () => {
    const r = await consoleChange('198.18.0.100');
    expect(r.confirm).toBeUndefined();
    expect(await vips()).toEqual(['198.18.0.100']);
  });

  it('rolls back a VIP taken away from the console when nobody confirms', async () => {
    const r = await consoleChange(null);
    expect(r.confirm).toMatchObject({ key: 'apply', reasons: ['VIP 198.18.0.100 goes away'] });
    expect(await running()).toBe(r.generation);
    // Nobody confirms: the agent puts the VIP back by itself (a new generation, applied).
    const until = Date.now() + 15_000;
    while (Date.now() < until && (await latest()).number === r.generation)
      await new Promise((res) => setTimeout(res, 100));
    const back = await latest();
    expect(back).toMatchObject({ origin: 'rollback', author: 'system' });
    expect(back.message).toContain('not confirmed in time');
    expect(await vips()).toEqual(['198.18.0.100']);
    const until2 = Date.now() + 15_000;
    while (Date.now() < until2 && (await running()) !== back.number)
      await new Promise((res) => setTimeout(res, 100));
    expect(await running()).toBe(back.number);
    const events = await agent.api.get<{ items: { message: string }[] }>(
      '/v1/events?kind=apply&limit=20',
    );
    expect(events.items.map((e) => e.message).join('\n')).toMatch(
      /not confirmed within 2 s \(VIP 198\.18\.0\.100 goes away\): rolling back/,
    );
  });

  it('keeps it when the console confirms, and refuses a confirmation that comes too late', async () => {
    const r = await consoleChange(null);
    expect(r.confirm?.reasons).toEqual(['VIP 198.18.0.100 goes away']);
    const ok = await call(sock, 'POST', '/v1/apply/confirm', token, {});
    expect(ok.status).toBe(200);
    await new Promise((res) => setTimeout(res, 2_000));
    expect((await latest()).number).toBe(r.generation);
    expect(await vips()).toEqual([]);
    const late = await call(sock, 'POST', '/v1/apply/confirm', token, {});
    expect(late).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it('does not wait for a confirmation from the operator socket on the unit', async () => {
    await consoleChange('198.18.0.100');
    const current = await agent.api.get<{ generation: number; config: ApplianceConfig }>(
      '/v1/config',
    );
    await agent.api.send('PUT', '/v1/config', {
      base: current.generation,
      config: withVip(current.config, null),
      message: 'local',
    });
    const r = await agent.api.send<ApplyResponse>('POST', '/v1/apply', {});
    expect(r.confirm).toBeUndefined();
  });
});
