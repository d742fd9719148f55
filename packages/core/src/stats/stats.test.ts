import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advanceCounters, type CounterState, type WorkerCounters } from './counterContinuity.js';
import { parseShowStat } from './parseShowStat.js';

/** The first columns of a real HAProxy 2.6 `show stat` answer. */
const CSV = [
  '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,',
  'web,FRONTEND,,,0,0,9985,12,100,200,0,0,0,,,,,OPEN,,,,,,,,,1,2,0,,,,0,0,0,0,,,,0,10,0,1,1,0,,0,0,12,',
  'app,s1,0,0,0,0,,7,0,0,,0,,0,0,0,0,UP,1,1,0,,,1,,,1,3,1,,0,,2,0,,0,L7OK,200,1,0,6,0,0,1,0,,,,,',
  '',
].join('\n');

describe('parseShowStat', () => {
  it('reads rows by column name', () => {
    const rows = parseShowStat(CSV);
    expect(rows.map((r) => [r.proxy, r.name, r.type, r.status])).toEqual([
      ['web', 'FRONTEND', 'frontend', 'OPEN'],
      ['app', 's1', 'server', 'UP'],
    ]);
    expect(rows[0]?.values).toMatchObject({
      stot: 12,
      bin: 100,
      bout: 200,
      hrsp_2xx: 10,
      hrsp_5xx: 1,
      req_tot: 12,
    });
    expect(rows[1]?.text).toMatchObject({ check_status: 'L7OK' });
    expect(rows[1]?.values.scur).toBe(0);
  });

  it('reads nothing from an answer without a header', () => {
    expect(parseShowStat('Unknown command\n')).toEqual([]);
  });
});

const one = (epoch: string, raw: Record<string, number>) => [{ epoch, raw }];
/** One sample; the first (no previous state) is the baseline. */
const adv = (prev: CounterState | null, at: number, workers: WorkerCounters[], emit = true) =>
  advanceCounters(prev, { at, workers, baseline: prev === null, emit });

describe('advanceCounters', () => {
  it('turns counters into deltas, totals and per-second rates', () => {
    let s = adv(null, 0, one('w1', { req: 100 }));
    expect(s.deltas.req).toBe(0);
    s = adv(s.state, 2000, one('w1', { req: 160 }));
    expect(s).toMatchObject({ deltas: { req: 60 }, rates: { req: 30 } });
    expect(s.state.totals.req).toBe(60);
  });

  it('continues across a reload instead of going negative', () => {
    let s = adv(null, 0, one('w1', { req: 500 }));
    s = adv(s.state, 1000, one('w1', { req: 600 }));
    s = adv(s.state, 2000, one('w2', { req: 40 }));
    expect(s.deltas.req).toBe(40);
    expect(s.state.totals.req).toBe(140);
  });

  it('adds what an old worker still counts after the reload', () => {
    let s = adv(null, 0, one('w1', { req: 500 }));
    s = adv(s.state, 1000, [
      { epoch: 'w2', raw: { req: 30 } },
      { epoch: 'w1', raw: { req: 520 } },
    ]);
    expect(s.deltas.req).toBe(50);
    expect(s.rates.req).toBe(50);
  });

  it('banks a silent sample (before a reload) without losing its counts from the next rate', () => {
    let s = adv(null, 0, one('w1', { req: 0 }));
    s = adv(s.state, 600, one('w1', { req: 60 }), false);
    expect(s.rates).toEqual({});
    // The old worker is gone by the next sample; its 60 requests are in the rate over the second.
    s = adv(s.state, 1000, one('w2', { req: 40 }));
    expect(s.rates.req).toBe(100);
    expect(s.state.totals.req).toBe(100);
  });

  it('never produces a negative delta, and totals equal the sum of deltas', () => {
    const step = fc.record({ reload: fc.boolean(), add: fc.nat(1000), emit: fc.boolean() });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 50 }), (steps) => {
        let state: CounterState | null = null;
        let raw = 0;
        let epoch = 0;
        let sum = 0;
        let trueTotal = 0;
        for (const [i, st] of steps.entries()) {
          if (st.reload) {
            epoch++;
            raw = 0;
          }
          raw += st.add;
          if (i > 0) trueTotal += st.add;
          const r: ReturnType<typeof advanceCounters> = advanceCounters(state, {
            at: i * 1000,
            workers: one(`w${epoch}`, { c: raw }),
            baseline: i === 0,
            emit: st.emit,
          });
          expect(r.deltas.c).toBeGreaterThanOrEqual(0);
          for (const v of Object.values(r.rates)) expect(v).toBeGreaterThanOrEqual(0);
          sum += r.deltas.c ?? 0;
          state = r.state;
        }
        expect(state?.totals.c ?? 0).toBe(sum);
        // Every request counted by a worker is counted once (the first sample is the baseline).
        expect(sum).toBe(trueTotal);
      }),
      { numRuns: 500 },
    );
  });
});
