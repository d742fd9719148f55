import { z } from 'zod';
import { Token } from '../grammar/names.js';
import { DurationMs, IntRange } from '../grammar/text.js';
import { hint } from './hints.js';

/** Keep a client on the same server: by an inserted cookie (HTTP) or by source address (any mode). */
export const Stickiness = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('cookie'),
      name: hint(Token.default('SERVERID'), { label: 'Cookie name' }),
      secure: hint(z.boolean().default(false), { label: 'Secure flag' }),
    })
    .strict(),
  z
    .object({
      type: z.literal('source'),
      tableSize: hint(IntRange(1, 10_000_000).default(100_000), {
        label: 'Table size',
        unit: 'entries',
      }),
      expireMs: hint(DurationMs(1_000, 86_400_000).default(1_800_000), {
        label: 'Forget after',
        unit: 'duration',
      }),
    })
    .strict(),
]);
export type Stickiness = z.output<typeof Stickiness>;
