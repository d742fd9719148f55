import { DEFAULT_TIERS, StatsSeriesQuery } from '@tandem/core';
import { describe, expect, it } from 'vitest';
import type { StatsSnapshot } from './statsSampler.js';
import { createStatsQueries } from './statsQueries.js';

const NOW = 100 * 86_400_000;
const sample = (at: number) => ({ at, pid: 1, info: {}, entities: [] }) as StatsSnapshot;

function queries(o: { sampler?: boolean; latest?: StatsSnapshot | null } = {}) {
  const asked: { tier: number; from: number; to: number }[] = [];
  const listeners = new Set<(s: StatsSnapshot) => void>();
  let flushed = 0;
  const sampler =
    o.sampler === false
      ? null
      : {
          snapshot: () => o.latest ?? null,
          flush: () => void flushed++,
          subscribe: (l: (s: StatsSnapshot) => void) => {
            listeners.add(l);
            return () => void listeners.delete(l);
          },
        };
  const q = createStatsQueries({
    sampler,
    series: {
      entities: () => ['frontend/web'],
      series: (s) => {
        asked.push({ tier: s.tier, from: s.from, to: s.to });
        return {} as never;
      },
    },
    tiers: DEFAULT_TIERS,
    clock: { now: () => new Date(NOW) },
  });
  return { q, asked, listeners, flushed: () => flushed };
}

const series = (q: Record<string, string>) =>
  StatsSeriesQuery.parse({ entity: 'frontend/web', ...q });

describe('stats queries', () => {
  it('reads the last ten minutes at the finest tier by default, after a flush', () => {
    const t = queries();
    t.q.series(series({}));
    expect(t.asked).toEqual([{ tier: 0, from: NOW - 600_000, to: NOW }]);
    expect(t.flushed()).toBe(1);
  });

  it('takes a negative from as relative to the end, and picks a coarser tier for a long window', () => {
    const t = queries();
    t.q.series(series({ from: String(-3 * 3_600_000) }));
    expect(t.asked).toEqual([{ tier: 1, from: NOW - 3 * 3_600_000, to: NOW }]);
  });

  it.each([
    [{ from: String(NOW), to: String(NOW) }, 'from', 'from must be before to'],
    [{ tier: '3' }, 'tier', 'this unit has 3 tiers'],
    [{ from: String(NOW - 86_400_000), tier: '0' }, 'from', 'more than 20,000 points'],
  ])('refuses %j, naming %s', (q, path, message) => {
    const t = queries();
    expect(() => t.q.series(series(q))).toThrow(
      expect.objectContaining({
        message: expect.stringContaining(message),
        fields: [expect.objectContaining({ path })],
      }),
    );
    expect(t.asked).toEqual([]);
  });

  it('answers an empty sample before the first one', () => {
    expect(queries({ latest: null }).q.snapshot()).toEqual({
      at: null,
      pid: null,
      info: {},
      entities: [],
    });
  });

  it('streams the latest sample, then each new one, until stopped', () => {
    const t = queries({ latest: sample(1) });
    const sent: number[] = [];
    const stop = t.q.follow()((s) => sent.push(s.at));
    for (const l of t.listeners) l(sample(2));
    stop();
    expect(t.listeners.size).toBe(0);
    expect(sent).toEqual([1, 2]);
  });

  it('says sampling is off before a stream opens on a unit without it', () => {
    const t = queries({ sampler: false });
    expect(() => t.q.follow()).toThrow('stats sampling is off');
    expect(() => t.q.snapshot()).toThrow('stats sampling is off');
    // The series of earlier runs still answer.
    t.q.series(series({}));
    expect(t.asked).toHaveLength(1);
  });
});
