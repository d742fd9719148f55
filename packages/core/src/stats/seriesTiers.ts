import { z } from 'zod';

/**
 * Downsampling tiers of the stats time series: each keeps one point per `stepMs` for `keepMs`.
 * A coarser tier's point is the mean of the finer samples in its step (rates and gauges alike),
 * so a chart of any window reads one tier and never sums across tiers.
 */
export const SeriesTier = z.object({
  stepMs: z.number().int().min(1000).max(3_600_000),
  keepMs: z
    .number()
    .int()
    .min(60_000)
    .max(400 * 86_400_000),
});
export type SeriesTier = z.output<typeof SeriesTier>;

export const DEFAULT_TIERS: readonly SeriesTier[] = [
  { stepMs: 1_000, keepMs: 3_600_000 },
  { stepMs: 10_000, keepMs: 86_400_000 },
  { stepMs: 60_000, keepMs: 30 * 86_400_000 },
];

/** `1s:1h,10s:1d,1m:30d` (the TANDEM_STATS_TIERS setting) into tiers, finest first. */
export function parseTiers(text: string): SeriesTier[] {
  const unit: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  const dur = (t: string) => {
    const m = /^(\d{1,6})([smhd])$/.exec(t);
    if (!m) throw new Error(`"${t}" is not a duration like 10s, 1m, 1h or 30d`);
    return Number(m[1]) * (unit[m[2] ?? 's'] ?? 1_000);
  };
  const tiers = text.split(',').map((part) => {
    const [step, keep, extra] = part.trim().split(':');
    if (!step || !keep || extra !== undefined) throw new Error(`"${part}" is not step:keep`);
    const t = SeriesTier.safeParse({ stepMs: dur(step), keepMs: dur(keep) });
    if (!t.success)
      throw new Error(`"${part}": a step is 1s to 1h and a tier must keep at least a minute`);
    return t.data;
  });
  tiers.forEach((t, i) => {
    const prev = tiers[i - 1];
    if (prev && (t.stepMs <= prev.stepMs || t.stepMs % prev.stepMs !== 0))
      throw new Error('each tier step must be a multiple of the previous, finest first');
    if (t.keepMs < t.stepMs * 2) throw new Error('a tier must keep at least two steps');
  });
  if (tiers.length === 0 || tiers.length > 6) throw new Error('one to six tiers');
  return tiers;
}

/**
 * The tier a chart of [from, to) reads: the finest that still holds `from` and gives at most
 * `maxPoints` points; the coarsest when none does.
 */
export function chooseTier(
  tiers: readonly SeriesTier[],
  window: { from: number; to: number; now: number },
  maxPoints = 1_500,
): number {
  const span = Math.max(1, window.to - window.from);
  for (let i = 0; i < tiers.length; i++) {
    const t = tiers[i];
    if (t && window.now - window.from <= t.keepMs && span / t.stepMs <= maxPoints) return i;
  }
  return tiers.length - 1;
}

/** The start of the step that holds `at`. */
export const stepStart = (at: number, stepMs: number): number => at - (at % stepMs);
