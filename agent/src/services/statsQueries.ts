import { chooseTier, TandemError, type SeriesTier, type StatsSeriesQuery } from '@tandem/core';
import type { Clock } from '../adapters/clock.js';
import type { Series, StatsStore } from '../store/statsStore.js';
import type { Follow } from './page.js';
import type { StatsSampler, StatsSnapshot } from './statsSampler.js';

/** A window the Stats page asks for when it gives no `from`: the last ten minutes. */
const DEFAULT_WINDOW_MS = 600_000;
/** Points a chart can draw; past it the caller narrows the window or picks a coarser tier. */
const MAX_POINTS = 20_000;

/** The answer before the first sample (HAProxy just started, or never answered). */
export interface NoSample {
  at: null;
  pid: null;
  info: Record<string, never>;
  entities: [];
}

/**
 * The Stats page's questions: the latest sample, the entities that have series, one chart-ready
 * series (its tier chosen for the window), and a live stream of samples. Null sampler: this unit
 * samples nothing (the series of earlier runs still answer).
 */
export function createStatsQueries(o: {
  sampler: Pick<StatsSampler, 'snapshot' | 'subscribe' | 'flush'> | null;
  series: Pick<StatsStore, 'entities' | 'series'>;
  tiers: readonly SeriesTier[];
  clock: Clock;
}) {
  const sampler = () => {
    if (!o.sampler) throw new TandemError('not_found', 'stats sampling is off on this unit');
    return o.sampler;
  };
  return {
    snapshot: (): StatsSnapshot | NoSample =>
      sampler().snapshot() ?? { at: null, pid: null, info: {}, entities: [] },
    entities: () => o.series.entities(),
    series(q: StatsSeriesQuery): Series {
      const to = q.to ?? o.clock.now().getTime();
      const from =
        q.from === undefined ? to - DEFAULT_WINDOW_MS : q.from < 0 ? to + q.from : q.from;
      if (from >= to)
        throw new TandemError('bad_request', 'from must be before to', [
          { path: 'from', message: 'must be before to' },
        ]);
      if (q.tier !== undefined && q.tier >= o.tiers.length)
        throw new TandemError('bad_request', `this unit has ${o.tiers.length} tiers`, [
          { path: 'tier', message: 'no such tier' },
        ]);
      const tier = q.tier ?? chooseTier(o.tiers, { from, to, now: o.clock.now().getTime() });
      const stepMs = o.tiers[tier]?.stepMs ?? 1000;
      if ((to - from) / stepMs > MAX_POINTS)
        throw new TandemError(
          'bad_request',
          'the window has more than 20,000 points at this tier',
          [{ path: 'from', message: 'narrow the window or pick a coarser tier' }],
        );
      // Points wait in the sampler for a batched write; a chart wants the latest ones too.
      o.sampler?.flush();
      return o.series.series({ entity: q.entity, tier, from, to, metrics: q.metrics });
    },
    /** The latest sample at once (if any), then each new one, until the start's return stops it. */
    follow(): Follow<StatsSnapshot> {
      const s = sampler();
      return (send) => {
        const first = s.snapshot();
        if (first) send(first);
        return s.subscribe(send);
      };
    },
  };
}
export type StatsQueries = ReturnType<typeof createStatsQueries>;
