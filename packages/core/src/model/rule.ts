import { z } from 'zod';
import { HOSTNAME_RE } from '../grammar/network.js';
import { Name } from '../grammar/names.js';
import { Condition } from './condition.js';
import { hint } from './hints.js';

/** An ordered content-switching rule: all conditions must hold (AND); first matching rule wins. */
export const Rule = z
  .object({
    name: hint(Name.optional(), { label: 'Rule name', help: 'Used in the rendered ACL names' }),
    conditions: z
      .array(Condition)
      .min(1, { error: 'a rule needs at least one condition' })
      .max(16, { error: 'at most 16 conditions per rule' }),
    backend: hint(Name, { label: 'Send to backend' }),
  })
  .strict();
export type Rule = z.output<typeof Rule>;

/**
 * Host to backend map (seed 002): hundreds of host names routed with one map lookup instead of
 * one ACL each. Rendered as a map file beside haproxy.cfg; the service's default backend catches
 * unknown hosts.
 */
export const HostMapEntry = z
  .object({
    host: z
      .string()
      .transform((s) => s.toLowerCase())
      .pipe(z.string().regex(HOSTNAME_RE, { error: 'must be a DNS name like app.example.com' })),
    backend: Name,
  })
  .strict();

export const HostMap = z
  .object({
    match: hint(z.enum(['exact', 'domain']).default('exact'), {
      label: 'Match',
      help: 'exact: whole host name; domain: the name or any subdomain of it',
    }),
    entries: z
      .array(HostMapEntry)
      .min(1, { error: 'needs at least one entry' })
      .max(10000, { error: 'at most 10000 entries' }),
  })
  .strict();
export type HostMap = z.output<typeof HostMap>;
