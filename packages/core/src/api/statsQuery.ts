import { z } from 'zod';
import { STAT_METRICS } from '../stats/sampleStats.js';

/** Query-string contracts of the stats and events routes (every value arrives as text). */
const ENTITY_KEY =
  /^(?:frontend|backend)\/[A-Za-z0-9_.:-]{1,130}$|^server\/[A-Za-z0-9_.:-]{1,130}\/[A-Za-z0-9_.:-]{1,64}$/;

export const StatsSeriesQuery = z
  .object({
    entity: z.string().regex(ENTITY_KEY, {
      error: 'must be frontend/NAME, backend/NAME or server/BACKEND/NAME',
    }),
    /** Comma-separated STAT_METRICS; all of them when absent. */
    metrics: z
      .string()
      .optional()
      .transform((s, ctx) => {
        if (s === undefined || s === '') return [...STAT_METRICS];
        const list = s.split(',');
        const bad = list.filter((m) => !(STAT_METRICS as readonly string[]).includes(m));
        if (bad.length > 0) {
          ctx.addIssue({ code: 'custom', message: `unknown metric ${bad.join(', ')}` });
          return z.NEVER;
        }
        return list as (typeof STAT_METRICS)[number][];
      }),
    /** Milliseconds since the epoch; a negative `from` is relative to now (-600000 = last 10 min). */
    from: z.coerce.number().int().optional(),
    to: z.coerce.number().int().min(0).optional(),
    tier: z.coerce.number().int().min(0).max(5).optional(),
  })
  .strict();
export type StatsSeriesQuery = z.output<typeof StatsSeriesQuery>;

export const EventQuery = z
  .object({
    kind: z
      .enum([
        'apply',
        'server',
        'backend',
        'runtime',
        'agent',
        'vrrp',
        'sync',
        'login',
        'certificate',
      ])
      .optional(),
    from: z.coerce.number().int().min(0).optional(),
    to: z.coerce.number().int().min(0).optional(),
    before: z.coerce.number().int().min(1).optional(),
    after: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();
export type EventQuery = z.output<typeof EventQuery>;
