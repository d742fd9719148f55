import { DEFAULT_TIERS } from '@tandem/core';
import { describe, expect, it } from 'vitest';
import { openEventStore } from '../store/eventStore.js';
import { openTelemetryDb } from '../store/openTelemetryDb.js';
import { openStatsStore } from '../store/statsStore.js';
import { createStatsSampler } from './statsSampler.js';

const HEADER =
  '# pxname,svname,scur,stot,status,type,req_tot,mode,check_status,last_chk,check_desc,';
const csv = (req: number, status = 'UP') =>
  [
    HEADER,
    `web,FRONTEND,1,${req},OPEN,0,${req},http,,,,`,
    `web.app,s1,0,${req},${status},2,${req},http,L4CON,Connection refused,Layer4 connection problem,`,
    '',
  ].join('\n');

/** A scripted master: each worker PID answers with its current counters. */
function world() {
  const workers: { pid: number; req: number; status: string; dropped?: number }[] = [
    { pid: 100, req: 0, status: 'UP' },
  ];
  let now = 1_000_000;
  let down = false;
  const db = openTelemetryDb(':memory:');
  const store = openStatsStore(db, DEFAULT_TIERS);
  const events = openEventStore(db);
  const logs: string[] = [];
  const sampler = createStatsSampler({
    master: {
      workerStats: async () => {
        if (down) throw new Error('master unreachable');
        return workers.map((w) => ({
          pid: w.pid,
          info: `Pid: ${w.pid}\nDroppedLogs: ${w.dropped ?? 0}\n`,
          stat: csv(w.req, w.status),
        }));
      },
    },
    store,
    events,
    tiers: DEFAULT_TIERS,
    clock: { now: () => new Date(now) },
    intervalMs: 1000,
    log: (m) => logs.push(m),
  });
  return {
    workers,
    sampler,
    store,
    events,
    logs,
    at: (t: number) => (now = t),
    setDown: (d: boolean) => (down = d),
  };
}

describe('stats sampler', () => {
  it('writes a point per step and keeps the rate whole across a reload (checkpoint, old worker gone)', async () => {
    const w = world();
    w.at(1_000_000);
    await w.sampler.tick(1_000_000);
    w.workers[0]!.req = 30;
    w.at(1_000_600);
    await w.sampler.checkpoint(); // just before the reload: banks the old worker's 30
    w.workers.splice(0, 1, { pid: 101, req: 20, status: 'UP' }); // the old worker left at once
    w.at(1_001_000);
    await w.sampler.tick(1_001_000);
    const snap = w.sampler.snapshot();
    expect(snap?.pid).toBe(101);
    const fe = snap?.entities.find((e) => e.key === 'frontend/web');
    expect(fe?.metrics.req_rate).toBe(50);
    expect(fe?.totals.req_tot).toBe(50);
    const s = w.store.series({
      entity: 'frontend/web',
      tier: 0,
      from: 1_000_000,
      to: 1_002_000,
      metrics: ['req_rate'],
    });
    expect(s.values.req_rate).toEqual([null, null]); // not flushed yet: batched
    w.sampler.flush();
    expect(
      w.store.series({
        entity: 'frontend/web',
        tier: 0,
        from: 1_000_000,
        to: 1_002_000,
        metrics: ['req_rate'],
      }).values.req_rate,
    ).toEqual([0, 50]);
  });

  it('turns a server going DOWN into an error event with the check message', async () => {
    const w = world();
    await w.sampler.tick(1_000_000);
    w.workers[0]!.status = 'DOWN';
    w.at(1_001_000);
    await w.sampler.tick(1_001_000);
    const [e] = w.events.query({ limit: 10 });
    expect(e).toMatchObject({
      kind: 'server',
      severity: 'error',
      subject: 'server web.app/s1',
      message:
        'server web.app/s1 is DOWN (was UP): Layer4 connection problem, "Connection refused"',
    });
  });

  it('counts a failed sample once, logs once, and resumes', async () => {
    const w = world();
    w.setDown(true);
    w.at(1_000_000);
    await w.sampler.tick(); // unscheduled: no retry
    await w.sampler.tick();
    expect(w.sampler.metrics()).toMatchObject({ ticks: 0, failures: 2 });
    expect(w.logs).toEqual(['stats sampling paused: master unreachable']);
    w.setDown(false);
    await w.sampler.tick();
    expect(w.sampler.metrics().ticks).toBe(1);
    expect(w.logs.at(-1)).toBe('stats sampling resumed');
  });

  it('counts log lines HAProxy dropped, across a reload, with an event when it happens', async () => {
    const w = world();
    await w.sampler.tick(1_000_000);
    expect(w.sampler.droppedLogs()).toBe(0);
    w.workers[0]!.dropped = 120;
    await w.sampler.tick(1_001_000);
    expect(w.sampler.droppedLogs()).toBe(120);
    // A reload: the new worker drops 5 more; the old one's 120 stay counted after it exits.
    w.workers.unshift({ pid: 101, req: 0, status: 'UP', dropped: 5 });
    await w.sampler.tick(1_002_000);
    w.workers.pop();
    await w.sampler.tick(1_003_000);
    expect(w.sampler.droppedLogs()).toBe(125);
    const notes = w.events
      .query({ kind: 'agent', limit: 10 })
      .map((e) => e.message)
      .reverse();
    expect(notes).toEqual([
      'HAProxy dropped 120 log line(s): the agent fell behind (120 since it started)',
      'HAProxy dropped 5 log line(s): the agent fell behind (125 since it started)',
    ]);
  });
});
