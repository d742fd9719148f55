import { TandemError, toFieldErrors } from '@tandem/core';
import type { z } from 'zod';

/** Request parsing shared by the route files: contract violations are 400s naming the fields. */
export function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const r = schema.safeParse(body);
  if (!r.success)
    throw new TandemError(
      'bad_request',
      'the request does not match the API contract',
      toFieldErrors(r.error),
    );
  return r.data;
}

export function intParam(value: string | null | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new TandemError('bad_request', `${name} must be a generation number`);
  return n;
}

/** `service/server`, or `service/backend/server` when the `backend` query names one. */
