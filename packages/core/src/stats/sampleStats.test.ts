import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entityState } from './entityStatus.js';
import { parseShowInfo } from './parseShowInfo.js';
import type { StatRow } from './parseShowStat.js';
import { sampleStats, type SamplerState } from './sampleStats.js';

const server = (
  values: Record<string, number>,
  status = 'UP',
  text: Record<string, string> = {},
): StatRow => ({
  proxy: 'web.app',
  name: 's1',
  type: 'server',
  status,
  values: { weight: 1, ...values },
  text: { mode: 'http', status, ...text },
});
const frontend = (values: Record<string, number>): StatRow => ({
  proxy: 'web',
  name: 'FRONTEND',
  type: 'frontend',
  status: 'OPEN',
  values,
  text: { mode: 'http', status: 'OPEN' },
});

const t = (at: number, epoch: string, rows: StatRow[]) => ({ at, workers: [{ epoch, rows }] });

describe('sampleStats', () => {
  it('turns counters into per-second rates and keeps gauges as they are', () => {
    const a = sampleStats(null, {
      at: 0,
      workers: [{ epoch: '10', rows: [frontend({ req_tot: 100, conn_tot: 50, bin: 0, scur: 3 })] }],
    });
    expect(a.samples[0]?.metrics.req_rate).toBe(0);
    const b = sampleStats(a.state, {
      at: 2000,
      workers: [
        {
          epoch: '10',
          rows: [frontend({ req_tot: 300, conn_tot: 60, bin: 4000, scur: 5, hrsp_5xx: 0 })],
        },
      ],
    });
    const m = b.samples[0]?.metrics;
    expect(m).toMatchObject({ req_rate: 100, conn_rate: 5, bytes_in: 2000, sessions: 5 });
    expect(b.samples[0]?.key).toBe('frontend/web');
    expect(b.samples[0]?.weight).toBeNull();
  });

  it('stays continuous across a reload: no negative rate, totals keep growing', () => {
    const a = sampleStats(null, t(0, '10', [frontend({ req_tot: 1000 })]));
    const b = sampleStats(a.state, t(1000, '10', [frontend({ req_tot: 1100 })]));
    // The new worker (PID 11) has counted 90 requests since it started.
    const c = sampleStats(b.state, t(2000, '11', [frontend({ req_tot: 90 })]));
    expect(c.restarted).toBe(true);
    expect(c.state.epochs).toEqual(['11']);
    expect(c.samples[0]?.metrics.req_rate).toBe(90);
    expect(c.samples[0]?.totals.req_tot).toBe(190);
    const d = sampleStats(c.state, t(3000, '11', [frontend({ req_tot: 190 })]));
    expect(d.samples[0]?.totals.req_tot).toBe(290);
  });

  it('reports a server going DOWN with its check message, and not its transitions', () => {
    const up = sampleStats(null, t(0, '1', [server({})]));
    expect(up.changes).toEqual([]);
    const failing = sampleStats(up.state, t(1000, '1', [server({}, 'UP 1/3')]));
    expect(failing.changes).toEqual([]);
    const down = sampleStats(failing.state, {
      at: 2000,
      workers: [
        {
          epoch: '1',
          rows: [
            server({ check_code: 503 }, 'DOWN', {
              check_status: 'L7STS',
              check_desc: 'Layer7 wrong status',
              last_chk: 'Service Unavailable',
            }),
          ],
        },
      ],
    });
    expect(down.changes).toHaveLength(1);
    expect(down.changes[0]).toMatchObject({ key: 'server/web.app/s1', from: 'UP', to: 'DOWN' });
    expect(down.changes[0]?.message).toBe(
      'server web.app/s1 is DOWN (was UP): Layer7 wrong status, code 503, "Service Unavailable"',
    );
    const maint = sampleStats(down.state, t(3000, '1', [server({}, 'MAINT')]));
    expect(maint.changes[0]?.message).toBe('server web.app/s1 is MAINT (was DOWN)');
  });

  it('keeps each total equal to the work done, whatever the reloads (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ work: fc.nat(1000), reload: fc.boolean() }), {
          minLength: 1,
          maxLength: 40,
        }),
        (steps) => {
          let state: SamplerState | null = null;
          let worker = 0;
          let counter = 0;
          let done = 0;
          let at = 0;
          let first = true;
          for (const s of steps) {
            if (s.reload) {
              worker++;
              counter = 0;
            }
            counter += s.work;
            if (!first) done += s.work;
            at += 1000;
            const r: ReturnType<typeof sampleStats> = sampleStats(
              state,
              t(at, String(worker), [frontend({ req_tot: counter })]),
            );
            // The first tick is the baseline: what happened before the sampler is not counted.
            if (first) done = 0;
            first = false;
            state = r.state;
            const sample = r.samples[0];
            expect(sample?.metrics.req_rate).toBeGreaterThanOrEqual(0);
            expect(sample?.totals.req_tot).toBe(done);
          }
        },
      ),
    );
  });
});

describe('entityState', () => {
  it.each([
    ['UP', 'UP'],
    ['UP 1/3', 'UP'],
    ['DOWN 1/2', 'DOWN'],
    ['MAINT (via web.app/s2)', 'MAINT'],
    ['MAINT (resolution)', 'MAINT'],
    ['DRAIN', 'DRAIN'],
    ['no check', 'NOCHECK'],
    ['OPEN', 'OPEN'],
    ['NOLB', 'NOLB'],
    ['gibberish', 'UNKNOWN'],
  ])('%s is %s', (status, state) => expect(entityState(status)).toBe(state));
});

describe('parseShowInfo', () => {
  it('reads the PID and keeps every field', () => {
    const info = parseShowInfo(
      'Name: HAProxy\nVersion: 2.6.12\nPid: 4242\nUptime_sec: 7\nnonsense\n',
    );
    expect(info).toMatchObject({ pid: 4242, uptimeSec: 7 });
    expect(info.fields.Version).toBe('2.6.12');
  });
  it('has no PID when the answer is not show info', () => {
    expect(parseShowInfo('Unknown command.\n').pid).toBeNull();
  });
});
