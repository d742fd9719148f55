/**
 * Means of per-second samples over each coarser tier's step, per entity. Pure: the sampler adds
 * a sample and gets back the points whose step has ended.
 */
export interface RollupPoint {
  tier: number;
  entity: string;
  at: number;
  values: number[];
  state: number;
}

interface Bucket {
  at: number;
  sums: number[];
  count: number;
  state: number;
}

export class Rollup {
  /** tier index -> entity -> open bucket */
  private readonly open = new Map<number, Map<string, Bucket>>();

  constructor(private readonly steps: readonly number[]) {}

  /** Adds one point (tier 0) and returns the coarser points completed by it. */
  add(entity: string, at: number, values: readonly number[], state: number): RollupPoint[] {
    const done: RollupPoint[] = [];
    this.steps.forEach((step, i) => {
      if (i === 0) return;
      let buckets = this.open.get(i);
      if (!buckets) this.open.set(i, (buckets = new Map()));
      const start = at - (at % step);
      const b = buckets.get(entity);
      if (b && b.at !== start) {
        done.push(close(i, entity, b));
        buckets.delete(entity);
      }
      const cur = buckets.get(entity) ?? { at: start, sums: values.map(() => 0), count: 0, state };
      values.forEach((v, k) => (cur.sums[k] = (cur.sums[k] ?? 0) + v));
      cur.count++;
      cur.state = state;
      buckets.set(entity, cur);
    });
    return done;
  }

  /** Closes every bucket whose step ended before `now` (entities that stopped reporting). */
  flush(now: number): RollupPoint[] {
    const done: RollupPoint[] = [];
    for (const [i, buckets] of this.open) {
      const step = this.steps[i] ?? 1;
      for (const [entity, b] of buckets) {
        if (b.at + step <= now) {
          done.push(close(i, entity, b));
          buckets.delete(entity);
        }
      }
    }
    return done;
  }
}

function close(tier: number, entity: string, b: Bucket): RollupPoint {
  return { tier, entity, at: b.at, values: b.sums.map((s) => s / b.count), state: b.state };
}
