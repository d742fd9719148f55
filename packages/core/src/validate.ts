import type { z } from 'zod';
import { formatPath, type FieldError } from './errors.js';
import { ApplianceConfig } from './model/applianceConfig.js';
import { NodeSettings } from './model/node.js';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Turns zod issues into field errors; union mismatches name the variant field (e.g. `type`). */
export function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
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
