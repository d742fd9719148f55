import { z } from 'zod';
import { HeaderName, UserName } from '../grammar/names.js';
import { HostName, Port } from '../grammar/network.js';
import {
  CheckPayload,
  DurationMs,
  IntRange,
  PrintableText,
  Regex,
  UrlPath,
} from '../grammar/text.js';
import { hint } from './hints.js';

/** Timing shared by every check type: how often, and how many results flip a server's state. */
const timing = {
  intervalMs: hint(DurationMs(100, 3_600_000).default(2_000), {
    label: 'Interval',
    help: 'Time between two checks of a server',
    unit: 'duration',
  }),
  rise: hint(IntRange(1, 100).default(2), { label: 'Rise', help: 'Successes to mark a server UP' }),
  fall: hint(IntRange(1, 100).default(3), {
    label: 'Fall',
    help: 'Failures to mark a server DOWN',
  }),
  // A server marked DOWN keeps its open connections unless told otherwise; where a DOWN server
  // is one that must not take writes (a demoted Redis or MySQL primary), they are closed so
  // clients reconnect to the one that now passes.
  closeOnDown: hint(z.boolean().default(false), {
    label: 'Close connections when DOWN',
    help: 'Clients of a server marked DOWN are disconnected and reconnect elsewhere',
    advanced: true,
  }),
};

export const TcpCheck = z.object({ type: z.literal('tcp'), ...timing }).strict();

/** Status codes as HAProxy's `http-check expect status` takes them: `200`, `200-399`, `200,204`. */
const STATUS_LIST_RE =
  /^[1-5][0-9]{2}(?:-[1-5][0-9]{2})?(?:,[1-5][0-9]{2}(?:-[1-5][0-9]{2})?){0,15}$/;

export const HttpExpect = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('status'),
      value: z
        .string()
        .regex(STATUS_LIST_RE, { error: 'must be codes like 200, 200-399 or 200,204' }),
    })
    .strict(),
  z.object({ kind: z.literal('string'), value: PrintableText(1, 256) }).strict(),
  z.object({ kind: z.literal('rstring'), value: Regex }).strict(),
]);
export type HttpExpect = z.output<typeof HttpExpect>;

export const HttpCheck = z
  .object({
    type: z.literal('http'),
    method: hint(z.enum(['GET', 'HEAD', 'OPTIONS']).default('GET'), { label: 'Method' }),
    path: hint(UrlPath.default('/'), { label: 'Path', placeholder: '/health' }),
    host: hint(HostName.optional(), { label: 'Host header', help: 'Sent with the check request' }),
    headers: hint(
      z
        .array(z.object({ name: HeaderName, value: PrintableText(1, 256) }).strict())
        .max(8, { error: 'at most 8 headers' })
        .default([]),
      { label: 'Extra headers', help: 'e.g. Upgrade: websocket for a 101 check', advanced: true },
    ),
    expect: hint(HttpExpect.default({ kind: 'status', value: '200-399' }), { label: 'Expect' }),
    ...timing,
  })
  .strict();

/**
 * A scripted TCP conversation (seed 002: only the Redis master answers `role:master`).
 * `send` data may contain CR/LF; the renderer escapes it.
 */
export const TcpCheckStep = z.discriminatedUnion('action', [
  z
    .object({
      action: z.literal('connect'),
      port: Port.optional(),
      tls: z.boolean().default(false),
    })
    .strict(),
  z.object({ action: z.literal('send'), data: CheckPayload }).strict(),
  z
    .object({
      action: z.literal('expect'),
      match: z.enum(['string', 'rstring']),
      value: z.string(),
    })
    .strict()
    .superRefine((s, ctx) => {
      const r = (s.match === 'rstring' ? Regex : PrintableText(1, 256)).safeParse(s.value);
      if (!r.success) {
        for (const issue of r.error.issues)
          ctx.addIssue({ code: 'custom', path: ['value'], message: issue.message });
      }
    }),
]);
export type TcpCheckStep = z.output<typeof TcpCheckStep>;

export const ScriptedTcpCheck = z
  .object({
    type: z.literal('tcp-script'),
    steps: z.array(TcpCheckStep).min(1, { error: 'needs at least one step' }).max(32),
    ...timing,
  })
  .strict();

export const MysqlCheck = z
  .object({
    type: z.literal('mysql'),
    user: hint(UserName, {
      label: 'Check user',
      help: 'A MySQL user without password allowed to connect from the unit',
    }),
    // any: the server accepts a login (HAProxy's mysql-check). writable: it also answers
    // @@global.read_only = 0, so only the primary passes and a switch of primary is followed.
    role: hint(z.enum(['any', 'writable']).default('any'), {
      label: 'Passes when',
      help: 'writable: only a server that is not read-only (the primary) passes',
    }),
    ...timing,
  })
  .strict();

export const RedisCheck = z.object({ type: z.literal('redis'), ...timing }).strict();

export const HealthCheck = z.discriminatedUnion('type', [
  TcpCheck,
  HttpCheck,
  ScriptedTcpCheck,
  MysqlCheck,
  RedisCheck,
]);
export type HealthCheck = z.output<typeof HealthCheck>;
