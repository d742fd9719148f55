import { readFile } from 'node:fs/promises';
import { runClient, serviceGap, type ClientResult } from '@tandem/lab/client';
import { fail, heal, type Fault } from '@tandem/lab/faults';
import { down, holders, unitApi, up, waitFor } from '@tandem/lab/lab';
import { ADDR, defaultLab, type LabOptions, type UnitId } from '@tandem/lab/labSpec';
import { listNetns, netnsPids } from '@tandem/lab/netns';
import type { ClusterStatus } from '@tandem/core';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The HA suite: two real units (agent, HAProxy, keepalived) in network namespaces, a client
 * sending a request every 20 ms to the VIP on a new connection each time, and one fault at a
 * time injected into the master (unit a, priority 150; b has 100; no preemption). Each case
 * builds a fresh lab (about 2 s) so no case inherits another's state.
 */
const lab: LabOptions = { ...defaultLab(`th${process.pid % 10_000}`), advertIntervalMs: 100 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const cluster = (unit: UnitId) => unitApi(lab, unit).get<ClusterStatus>('/v1/cluster');
const stateOf = async (unit: UnitId) => (await cluster(unit)).instances[0]?.state;

/** Runs the client for `seconds`, calls `during` after `afterMs`, returns results and the fault time. */
async function withTraffic(seconds: number, afterMs: number, during: () => Promise<number>) {
  const results = runClient(lab, 20, seconds);
  await sleep(afterMs);
  const at = await during();
  return { results: await results, at };
}

const tail = (rs: readonly ClientResult[], ms: number) => {
  const end = Math.max(...rs.map((r) => r.t));
  return rs.filter((r) => r.t > end - ms);
};

afterAll(async () => {
  await down(lab);
  // Nothing left behind: no namespace with the lab's prefix, so no process or link in one.
  expect(await listNetns(`${lab.prefix}-`)).toEqual([]);
});

describe('failover in the two-unit lab', () => {
  const takeovers: Fault[] = ['link', 'haproxy', 'keepalived'];
  it.each(takeovers)(
    'the backup takes over when the master loses its %s, and keeps the VIP after heal',
    async (fault) => {
      await up(lab);
      expect(await holders(lab)).toEqual(['a']);
      const { results, at } = await withTraffic(7, 1_500, () => fail(lab, 'a', fault));
      const gap = serviceGap(results, at, ADDR.b);
      // Recovered while the client ran; how fast is a figure (npm run bench -- failover).
      expect(gap.recoveredMs).not.toBeNull();
      // Only requests sent before b took over may fail (on the failed unit; how many depends on
      // how long the takeover took on this machine); none after, and the stream goes on from b.
      const recovered = at + (gap.recoveredMs ?? 0);
      expect(results.filter((r) => !r.ok && r.t >= recovered)).toEqual([]);
      expect(tail(results, 3_000).every((r) => r.ok)).toBe(true);
      expect(await holders(lab)).toEqual(['b']);
      const b = await cluster('b');
      expect(b.instances[0]?.state).toBe('MASTER');
      expect(b.instances[0]?.lastTakeover?.gapMs).toBeGreaterThan(0);

      // a comes back as backup (no preemption): no second interruption.
      await heal(lab, 'a');
      await waitFor(
        'a back as BACKUP',
        10_000,
        async () => (await stateOf('a').catch(() => null)) === 'BACKUP',
      );
      const after = await runClient(lab, 20, 3);
      expect(after.every((r) => r.ok)).toBe(true);
      expect(await holders(lab)).toEqual(['b']);
    },
  );

  it('keeps serving from the master when only its agent is killed, and the new agent adopts', async () => {
    await up(lab);
    const { results } = await withTraffic(5, 1_500, () => fail(lab, 'a', 'agent'));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(await holders(lab)).toEqual(['a']);
    await heal(lab, 'a');
    expect(await stateOf('a')).toBe('MASTER');
    expect((await cluster('a')).keepalived.running).toBe(true);
    const log = await readFile(`${lab.stateRoot}/a/agent.log`, 'utf8');
    expect(log).toContain('adopted the running HAProxy master');
  });

  it('serves from the backup while the master is frozen, then one unit holds the VIP', async () => {
    await up(lab);
    const { results, at } = await withTraffic(5, 1_500, () => fail(lab, 'a', 'freeze'));
    const gap = serviceGap(results, at, ADDR.b);
    expect(gap.recoveredMs).not.toBeNull();
    expect(tail(results, 2_500).every((r) => r.ok)).toBe(true);
    expect(await holders(lab)).toEqual(['a', 'b']); // a's VIP is configured but a is frozen
    await heal(lab, 'a');
    // VRRP resolves two masters by priority: a (150) keeps the VIPs (docs/cluster.md).
    await waitFor('one VIP holder', 5_000, async () => (await holders(lab)).length === 1);
    const after = await runClient(lab, 20, 3);
    expect(after.every((r) => r.ok)).toBe(true);
  });

  it('hands over on purpose without failing a request, and stays in standby until resume', async () => {
    await up(lab);
    const { results } = await withTraffic(5, 1_500, async () => {
      const s = await unitApi(lab, 'a').send<ClusterStatus>('POST', '/v1/cluster/handover', {});
      expect(s.standby).toBe(true);
      return Date.now();
    });
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(await holders(lab)).toEqual(['b']);
    expect(await stateOf('a')).toBe('FAULT');
    await unitApi(lab, 'a').send('POST', '/v1/cluster/resume', {});
    await waitFor('a back as BACKUP', 5_000, async () => (await stateOf('a')) === 'BACKUP');
    expect(await holders(lab)).toEqual(['b']);
  });

  // No bound on how soon it is flagged: on a busy machine any bound makes the test flaky.
  it('detects split brain and clears it when healed', async () => {
    await up(lab);
    await fail(lab, 'a', 'partition');
    await waitFor('split brain flagged on both units', 30_000, async () => {
      const [a, b] = await Promise.all([cluster('a'), cluster('b')]);
      return a.splitBrain && b.splitBrain;
    });
    await heal(lab, 'a');
    await waitFor('split brain cleared', 10_000, async () => {
      const [a, b] = await Promise.all([cluster('a'), cluster('b')]);
      return !a.splitBrain && !b.splitBrain;
    });
    expect(await holders(lab)).toHaveLength(1);
    const events = await unitApi(lab, 'b').get<{ items: { message: string }[] }>(
      '/v1/events?kind=vrrp',
    );
    expect(events.items.map((e) => e.message).join('\n')).toMatch(/split brain resolved/);
  });

  it('down removes every namespace and process of the lab', async () => {
    await up(lab);
    const names = await listNetns(`${lab.prefix}-`);
    expect(names).toHaveLength(6);
    const pids = (await Promise.all(names.map((n) => netnsPids(n)))).flat();
    expect(pids.length).toBeGreaterThan(6);
    await down(lab);
    expect(await listNetns(`${lab.prefix}-`)).toEqual([]);
    // Gone, or a zombie waiting for its parent (this test process) to reap it.
    const alive = [];
    for (const pid of pids) {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
      if (stat !== null && !/^\d+ \(.*\) Z/.test(stat)) alive.push(pid);
    }
    expect(alive).toEqual([]);
  });
});
