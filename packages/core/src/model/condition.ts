import { z } from 'zod';
import { HeaderName } from '../grammar/names.js';
import { Cidr, HostPattern } from '../grammar/network.js';
import { PathFragment, PrintableText, Regex } from '../grammar/text.js';

/**
 * Conditions of a content-switching rule. Each is a typed matcher, never a raw ACL string; the
 * renderer turns it into one `acl` line whose fetch and match method come from this closed set.
 */
const negate = z.boolean().default(false);
const values = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .min(1, { error: 'needs at least one value' })
    .max(256, { error: 'at most 256 values' });

export const HOST_MATCHES = ['exact', 'prefix', 'suffix', 'domain'] as const;
export const PATH_MATCHES = ['exact', 'prefix', 'suffix', 'regex'] as const;
export const HEADER_MATCHES = [
  'exact',
  'prefix',
  'suffix',
  'substring',
  'regex',
  'present',
] as const;
export const HTTP_METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'CONNECT',
  'TRACE',
] as const;

export const HostCondition = z
  .object({
    type: z.literal('host'),
    match: z.enum(HOST_MATCHES),
    values: values(HostPattern),
    negate,
  })
  .strict();

export const SniCondition = z
  .object({
    type: z.literal('sni'),
    match: z.enum(HOST_MATCHES),
    values: values(HostPattern),
    negate,
  })
  .strict();

export const PathCondition = z
  .object({
    type: z.literal('path'),
    match: z.enum(PATH_MATCHES),
    values: values(z.string()),
    ignoreCase: z.boolean().default(false),
    negate,
  })
  .strict()
  .superRefine((c, ctx) => {
    // The grammar of each value depends on the match method: regexes are compiled, others are paths.
    const item = c.match === 'regex' ? Regex : PathFragment;
    c.values.forEach((v, i) => {
      const r = item.safeParse(v);
      if (!r.success) {
        for (const issue of r.error.issues) {
          ctx.addIssue({ code: 'custom', path: ['values', i], message: issue.message });
        }
      }
    });
  });

export const HeaderCondition = z
  .object({
    type: z.literal('header'),
    name: HeaderName,
    match: z.enum(HEADER_MATCHES),
    values: z.array(z.string()).max(256).default([]),
    ignoreCase: z.boolean().default(true),
    negate,
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.match === 'present') {
      if (c.values.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['values'],
          message: 'must be empty for match "present"',
        });
      }
      return;
    }
    if (c.values.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: 'needs at least one value' });
    }
    const item = c.match === 'regex' ? Regex : PrintableText(1, 1024);
    c.values.forEach((v, i) => {
      const r = item.safeParse(v);
      if (!r.success) {
        for (const issue of r.error.issues) {
          ctx.addIssue({ code: 'custom', path: ['values', i], message: issue.message });
        }
      }
    });
  });

export const SourceCondition = z
  .object({ type: z.literal('source'), networks: values(Cidr), negate })
  .strict();

export const MethodCondition = z
  .object({ type: z.literal('method'), methods: values(z.enum(HTTP_METHODS)), negate })
  .strict();

/** True when the request asks to upgrade to WebSocket (seed 002: route upgrades to a WS farm). */
export const WebSocketCondition = z.object({ type: z.literal('websocket'), negate }).strict();

export const Condition = z.discriminatedUnion('type', [
  HostCondition,
  SniCondition,
  PathCondition,
  HeaderCondition,
  SourceCondition,
  MethodCondition,
  WebSocketCondition,
]);
export type Condition = z.output<typeof Condition>;
export type ConditionType = Condition['type'];

/** Conditions that need HTTP parsing and are therefore refused on a `tcp` service. */
export const HTTP_ONLY_CONDITIONS: ReadonlySet<ConditionType> = new Set([
  'host',
  'path',
  'header',
  'method',
  'websocket',
]);
