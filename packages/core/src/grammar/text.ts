import { z } from 'zod';

/**
 * Text grammars. Control characters (C0, DEL, C1) and the Unicode line/paragraph separators are
 * refused everywhere a value could land in a config line: a line break is the one thing no amount of
 * quoting makes safe in a line-oriented config file.
 */
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export function hasControl(s: string): boolean {
  return CONTROL_RE.test(s);
}

/** Human text such as descriptions: printable Unicode, no control characters. */
export const SafeText = (max: number) =>
  z
    .string()
    .max(max, { error: `must be at most ${max} characters` })
    .refine((s) => !hasControl(s), { error: 'must not contain line breaks or control characters' });

/** Printable ASCII and space: header values, expected strings in checks. */
export const PRINTABLE_RE = /^[\x20-\x7e]*$/;
export const PrintableText = (min: number, max: number) =>
  z
    .string()
    .min(min, { error: `must be at least ${min} character${min === 1 ? '' : 's'}` })
    .max(max, { error: `must be at most ${max} characters` })
    .regex(PRINTABLE_RE, {
      error: 'must be printable ASCII (no line breaks or control characters)',
    });

/** A URL path as sent on the wire: starts with `/`, visible ASCII, no spaces. */
export const UrlPath = z
  .string()
  .max(1024, { error: 'must be at most 1024 characters' })
  .regex(/^\/[\x21-\x7e]*$/, {
    error: 'must start with / and contain no spaces or control characters',
  });

/** A fragment of a path for prefix/suffix/exact matching (e.g. `.jpg`, `/static/`). */
export const PathFragment = z
  .string()
  .max(1024, { error: 'must be at most 1024 characters' })
  .regex(/^[\x21-\x7e]+$/, { error: 'must be visible ASCII without spaces' });

/**
 * A regular expression. HAProxy compiles with PCRE2; we compile with the JavaScript engine before
 * accepting, which catches syntax errors early, and refuse constructs whose meaning differs between
 * the two engines (named groups syntax, lookbehind) so that what the console tests is what runs.
 */
export const Regex = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(256, { error: 'must be at most 256 characters' })
  .regex(PRINTABLE_RE, { error: 'must be printable ASCII' })
  .refine((s) => !/\(\?<[=!]|\(\?<[A-Za-z]|\(\?P/.test(s), {
    error: 'lookbehind and named groups are not supported',
  })
  .superRefine((s, ctx) => {
    try {
      new RegExp(s);
    } catch (e) {
      ctx.addIssue({
        code: 'custom',
        message: `is not a valid regular expression (${(e as Error).message})`,
      });
    }
  });

/**
 * Bytes a health check sends (e.g. `PING\r\n`): any characters except NUL, including CR and LF,
 * because the renderer escapes them. Limited to ASCII so that each character is exactly one byte on the wire.
 */
export const CheckPayload = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(1024, { error: 'must be at most 1024 characters' })
  // eslint-disable-next-line no-control-regex -- payloads are bytes; CR and LF are the point
  .regex(/^[\x01-\x7f]+$/, { error: 'must be ASCII characters without NUL' });

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * A duration as HAProxy users write it (`100ms`, `31s`, `5m`, `1h`, `1d`), or plain milliseconds
 * (a number or digits), in milliseconds; anything else is left for the number check to refuse.
 */
export function parseDuration(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  const m = /^\s*(\d{1,12})\s*(ms|s|m|h|d)?\s*$/.exec(input);
  if (!m) return input;
  return Number(m[1]) * (DURATION_UNITS[m[2] ?? 'ms'] ?? 1);
}

/** Milliseconds as HAProxy time: the largest whole unit, so `30s` rather than `30000ms`. */
export function formatDuration(ms: number): string {
  if (ms !== 0 && ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms !== 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms !== 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms !== 0 && ms % 1_000 === 0) return `${ms / 1_000}s`;
  return `${ms}ms`;
}

/**
 * Time values are stored in milliseconds; each field states its own range, in words a user
 * writes (`at least 100ms`), and accepts `5s`-style input everywhere (CLI, API, console).
 */
export const DurationMs = (min: number, max: number) =>
  z.preprocess(
    parseDuration,
    z
      .number({ error: 'must be a duration like 500ms, 30s, 5m or 1h' })
      .int({ error: 'must be a whole number of milliseconds' })
      .min(min, { error: `must be at least ${formatDuration(min)}` })
      .max(max, { error: `must be at most ${formatDuration(max)}` }),
  );

export const IntRange = (min: number, max: number) =>
  z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be between ${min} and ${max}` })
    .max(max, { error: `must be between ${min} and ${max}` });
