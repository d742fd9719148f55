import { describe, expect, it } from 'vitest';
import type { HaproxyLauncher } from '../adapters/haproxyLauncher.js';
import type { HaproxyMaster } from '../adapters/haproxyMaster.js';
import { createFakeProcessSignals } from '../adapters/processSignals.js';
import type { EventInput } from '../store/eventStore.js';
import type { VrrpService } from './vrrp.js';
import { superviseHaproxy } from './superviseHaproxy.js';

/** The supervisor on fakes: what it does when HAProxy dies, in order. */
function world(o: { alive?: (pid: number) => boolean; startFails?: boolean } = {}) {
  const steps: string[] = [];
  const events: EventInput[] = [];
  let running = false;
  const launcher: HaproxyLauncher = {
    start: async () => {
      steps.push('start');
      if (o.startFails) throw new Error('cannot bind');
      running = true;
    },
    stop: async () => undefined,
    running: () => running,
    awaitLoadResult: async () => null,
  };
  const vrrp = {
    setHaproxyUp: async (up: boolean) => void steps.push(`haproxy ${up ? 'up' : 'down'}`),
  } as unknown as VrrpService;
  const master = {
    showProc: async () => ({ masterPid: 4242 }),
  } as unknown as HaproxyMaster;
  const logged: string[] = [];
  const s = superviseHaproxy({
    launcher,
    master,
    masterSocket: '/u/run/master.sock',
    vrrp,
    events: { add: (e) => (events.push(e), { ...e, id: events.length }) },
    unitName: 'unit-1',
    log: (m) => void logged.push(m),
    stopping: () => false,
    signals: createFakeProcessSignals(o.alive).signals,
    removeMasterSocket: async () => void steps.push('remove socket'),
    restartDelayMs: 0,
    watchMs: 5,
  });
  return { s, steps, events, logged };
}

describe('HAProxy supervisor', () => {
  it('steps down, records why, removes the stale socket, starts HAProxy, steps up', async () => {
    const w = world();
    await w.s.restart('SIGKILL');
    expect(w.steps).toEqual(['haproxy down', 'remove socket', 'start', 'haproxy up']);
    expect(w.events).toMatchObject([
      { kind: 'agent', severity: 'error', message: expect.stringContaining('SIGKILL') },
    ]);
    expect(w.logged).toContain('HAProxy restarted');
  });

  it('stays down and says so when HAProxy cannot start', async () => {
    const w = world({ startFails: true });
    await w.s.restart('exit 1');
    expect(w.steps).toEqual(['haproxy down', 'remove socket', 'start']);
    expect(w.logged.at(-1)).toMatch(/HAProxy restart failed: cannot bind/);
  });

  it('notices an adopted master that is gone, and restarts HAProxy', async () => {
    let alive = true;
    const w = world({ alive: () => alive });
    await w.s.watchAdopted();
    await new Promise((r) => setTimeout(r, 20));
    expect(w.steps).toEqual([]);
    alive = false;
    const deadline = Date.now() + 2_000;
    while (!w.steps.includes('haproxy up') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    expect(w.steps).toEqual(['haproxy down', 'remove socket', 'start', 'haproxy up']);
    expect(w.events[0]?.message).toMatch(/the adopted master is gone/);
  });
});
