import { TandemError } from '@tandem/core';

/** Request parsing shared by the route files (the one function lives in core, below services too). */
export { parseRequest as parse } from '@tandem/core';

export function intParam(value: string | null | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new TandemError('bad_request', `${name} must be a generation number`);
  return n;
}

/** `service/server`, or `service/backend/server` when the `backend` query names one. */
