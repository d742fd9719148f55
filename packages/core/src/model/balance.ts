import { z } from 'zod';
import { HeaderName, Token } from '../grammar/names.js';
import { IntRange } from '../grammar/text.js';
import { hint } from './hints.js';

/** Load-balancing algorithms (HAProxy `balance`), one variant per argument shape. */
const simple = <A extends string>(algorithm: A) =>
  z.object({ algorithm: z.literal(algorithm) }).strict();

export const Balance = z.discriminatedUnion('algorithm', [
  simple('roundrobin'),
  simple('static-rr'),
  simple('leastconn'),
  simple('first'),
  simple('source'),
  simple('random'),
  z
    .object({
      algorithm: z.literal('uri'),
      whole: hint(z.boolean().default(false), {
        label: 'Whole URI',
        help: 'Hash the query string too (seed 002: caches keyed on the full URL)',
      }),
      depth: hint(IntRange(1, 64).optional(), { label: 'Directory depth', advanced: true }),
      len: hint(IntRange(1, 4096).optional(), { label: 'Characters hashed', advanced: true }),
    })
    .strict(),
  z
    .object({
      algorithm: z.literal('url_param'),
      param: hint(Token, { label: 'Query parameter', placeholder: 'id' }),
    })
    .strict(),
  z
    .object({
      algorithm: z.literal('hdr'),
      header: hint(HeaderName, { label: 'Header', placeholder: 'Host' }),
      useDomainOnly: hint(z.boolean().default(false), {
        label: 'Hash domain only',
        advanced: true,
      }),
    })
    .strict(),
]);
export type Balance = z.output<typeof Balance>;
export type BalanceAlgorithm = Balance['algorithm'];

/** Algorithms that pick a server by hashing; only these take `hash-type`. */
export const HASHED_ALGORITHMS: ReadonlySet<BalanceAlgorithm> = new Set([
  'source',
  'uri',
  'url_param',
  'hdr',
  'random',
]);
