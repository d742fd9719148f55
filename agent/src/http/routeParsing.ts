import { TandemError, toFieldErrors } from '@tandem/core';
import type { z } from 'zod';

/** Request parsing shared by the route files: contract violations are 400s naming the fields. */
export function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const r = schema.safeParse(body);
  if (!r.success) {
    // The message names the first field in words, for whoever shows only the message (a toast,
    // a script); the fields carry all of them for forms.
    const fields = toFieldErrors(r.error);
    const first = fields[0];
    const more = fields.length > 1 ? ` (and ${fields.length - 1} more)` : '';
    throw new TandemError(
      'bad_request',
      first
        ? `${first.path || 'the request'}: ${first.message}${more}`
        : 'the request is malformed',
      fields,
    );
  }
  return r.data;
}

export function intParam(value: string | null | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new TandemError('bad_request', `${name} must be a generation number`);
  return n;
}

/** `service/server`, or `service/backend/server` when the `backend` query names one. */
