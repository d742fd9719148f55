import { describe, expect, it } from 'vitest';
import type { HaproxyMaster } from '../adapters/haproxyMaster.js';
import { createFakeProcessSignals } from '../adapters/processSignals.js';
import type { EventInput } from '../store/eventStore.js';
import { createOldWorkers } from './oldWorkers.js';

function master(old: Record<number, number>): HaproxyMaster {
  const pids = Object.keys(old)
    .map(Number)
    .sort((a, b) => b - a); // HAProxy lists the newest first
  return {
    showProc: () =>
      Promise.resolve({
        masterPid: 1,
        reloads: pids.length,
        version: 'fake',
        workers: [{ pid: 1000, reloads: 0 }],
        oldWorkers: pids,
        oldWorkerUptimes: pids.map(() => 1),
      }),
    reload: () => Promise.resolve({ ok: true, diagnostics: [] }),
    worker: () => Promise.resolve(''),
    workerStats: () => Promise.resolve([]),
    workerByPid: (pid) =>
      Promise.resolve(pid in old ? `Name: HAProxy\nPid: ${pid}\nCurrConns: ${old[pid]}\n` : ''),
  };
}

describe('old workers', () => {
  it('reports what stays on the previous worker and until when', async () => {
    const { signals, terminated } = createFakeProcessSignals();
    const w = createOldWorkers({
      master: master({ 900: 200 }),
      signals,
      policy: () => ({ graceMs: 3_600_000, source: 'tunnel', maxOldWorkers: 3 }),
      events: { add: (e) => ({ ...e, id: 1 }) },
      log: () => undefined,
      now: () => 1_000,
    });
    expect(await w.afterReload(900)).toEqual({
      connectionsOnPreviousWorker: 200,
      previousWorkerStopsAt: 3_601_000,
    });
    expect(await w.list()).toEqual([
      { pid: 900, connections: 200, retiredAt: 1_000, stopsAt: 3_601_000 },
    ]);
    expect(terminated).toEqual([]);
  });

  it('stops the oldest beyond the limit, on the timeline, and keeps the newest', async () => {
    const { signals, terminated } = createFakeProcessSignals();
    const events: EventInput[] = [];
    const w = createOldWorkers({
      // 650 and 750 have no connections left: on their way out, they do not count.
      master: master({ 500: 1, 600: 2, 650: 0, 700: 3, 750: 0, 800: 4 }),
      signals,
      policy: () => ({ graceMs: 60_000, source: 'set', maxOldWorkers: 2 }),
      events: { add: (e) => (events.push(e), { ...e, id: events.length }) },
      log: () => undefined,
    });
    await w.afterReload(800);
    expect(terminated).toEqual([600, 500]);
    expect(events.map((e) => e.message)).toEqual([
      'stopped old worker 600 with 2 connection(s): more than 2 old workers with connections',
      'stopped old worker 500 with 1 connection(s): more than 2 old workers with connections',
    ]);
  });

  it('skips a worker that exited between the list and the question', async () => {
    const { signals } = createFakeProcessSignals();
    const m = master({ 900: 1 });
    const w = createOldWorkers({
      master: { ...m, workerByPid: () => Promise.reject(new Error('gone')) },
      signals,
      policy: () => ({ graceMs: 1_000, source: 'set', maxOldWorkers: 3 }),
      events: { add: (e) => ({ ...e, id: 1 }) },
      log: () => undefined,
    });
    expect(await w.list()).toEqual([]);
    expect(await w.afterReload(900)).toEqual({
      connectionsOnPreviousWorker: 0,
      previousWorkerStopsAt: null,
    });
  });
});
