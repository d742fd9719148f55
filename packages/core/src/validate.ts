import type { z } from 'zod';
import { formatPath, TandemError, type FieldError } from './errors.js';
import { ApplianceConfig } from './model/applianceConfig.js';
import { NodeSettings } from './model/node.js';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Turns zod issues into field errors; union mismatches name the variant field (e.g. `type`). */
/**
 * What one alternative of a union expects, in the words its own grammar uses ("must be an IPv4
 * or IPv6 address"), or the literal values it takes.
 */
function expects(issue: z.core.$ZodIssue | undefined): string | null {
  if (!issue) return null;
  if (issue.code === 'invalid_value') return issue.values.map((v) => JSON.stringify(v)).join(', ');
  return issue.message.replace(/^must be /, '');
}

/**
 * Field errors from a zod error. A union's bare "Invalid input" becomes what each of its
 * alternatives expects (`must be "*" or an IPv4 or IPv6 address`): every grammar says what it
 * takes, also where a field takes one of several forms.
 */
export function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => {
    let message = issue.message;
    if (issue.code === 'invalid_union' && message === 'Invalid input') {
      const parts = [...new Set(issue.errors.map((branch) => expects(branch[0])))];
      if (parts.length > 0 && parts.every((p) => p !== null))
        message = `must be ${parts.join(' or ')}`;
    }
    return { path: formatPath(issue.path), message };
  });
}

export function parseWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
): ParseResult<z.output<S>> {
  const r = schema.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, errors: toFieldErrors(r.error) };
}

/** The one entry point for untrusted config: the API, the CLI, a restored backup and a peer. */
export function parseApplianceConfig(input: unknown): ParseResult<ApplianceConfig> {
  return parseWith(ApplianceConfig, input);
}

export function parseNodeSettings(input: unknown): ParseResult<NodeSettings> {
  return parseWith(NodeSettings, input);
}

/**
 * A request (body or query) parsed against its contract schema; a violation is a `bad_request`
 * naming the fields, with the first one in words in the message for whoever shows only that (a
 * toast, a script). Shared by the agent's routes and the services that validate their input.
 */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const fields = toFieldErrors(r.error);
  const first = fields[0];
  const more = fields.length > 1 ? ` (and ${fields.length - 1} more)` : '';
  throw new TandemError(
    'bad_request',
    first ? `${first.path || 'the request'}: ${first.message}${more}` : 'the request is malformed',
    fields,
  );
}
