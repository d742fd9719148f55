import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advanceCounters, type CounterState } from './counterContinuity.js';
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

describe('advanceCounters', () => {
  it('turns counters into deltas, totals and per-second rates', () => {
    let s = advanceCounters(null, { epoch: 'w1', at: 0, raw: { req: 100 } });
    expect(s.deltas.req).toBe(0);
    s = advanceCounters(s.state, { epoch: 'w1', at: 2000, raw: { req: 160 } });
    expect(s).toMatchObject({ deltas: { req: 60 }, rates: { req: 30 }, restarted: false });
    expect(s.state.totals.req).toBe(60);
  });

  it('continues across a reload instead of going negative', () => {
    let s = advanceCounters(null, { epoch: 'w1', at: 0, raw: { req: 500 } });
    s = advanceCounters(s.state, { epoch: 'w1', at: 1000, raw: { req: 600 } });
    s = advanceCounters(s.state, { epoch: 'w2', at: 2000, raw: { req: 40 } });
    expect(s).toMatchObject({ deltas: { req: 40 }, restarted: true });
    expect(s.state.totals.req).toBe(140);
  });

  it('never produces a negative delta, and totals equal the sum of deltas', () => {
    const step = fc.record({ reload: fc.boolean(), add: fc.nat(1000) });
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
          const r = advanceCounters(state, { epoch: `w${epoch}`, at: i * 1000, raw: { c: raw } });
          expect(r.deltas.c).toBeGreaterThanOrEqual(0);
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
