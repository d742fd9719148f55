import { backendName } from '../model/proxyNames.js';
import { z } from 'zod';
import { TandemError } from '../errors.js';
import { parseCidr } from '../grammar/ip.js';
import { HTTP_METHODS } from '../model/condition.js';

/** Query-string filters of GET /v1/logs (every value arrives as text). */
export const LogQuery = z
  .object({
    from: z.coerce.number().int().min(0).optional(),
    to: z.coerce.number().int().min(0).optional(),
    status: z
      .string()
      .regex(/^(?:[1-5]xx|[1-5]\d\d)$/, { error: 'must be a status like 404 or a class like 5xx' })
      .optional(),
    frontend: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,130}$/)
      .optional(),
    // As the Services page names them: a service (its requests, whatever backend served them) and
    // a backend as `service/backend`; HAProxy's own `service.backend` works too.
    service: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,64}$/, { error: 'must be a service name' })
      .optional(),
    backend: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,64}(?:\/[A-Za-z0-9_.:-]{1,64})?$/, {
        error: 'must be a backend like web/app',
      })
      .optional(),
    server: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,64}$/)
      .optional(),
    client: z.string().max(50).optional(),
    method: z.enum(HTTP_METHODS).optional(),
    q: z.string().max(200).optional(),
    errors: z.enum(['1', 'true']).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    before: z.coerce.number().int().min(1).optional(),
    after: z.coerce.number().int().min(0).optional(),
  })
  .strict();
export type LogQuery = z.output<typeof LogQuery>;

/**
 * A client network as an index-friendly text prefix of the stored address: IPv4 networks on
 * octet boundaries (/8, /16, /24, /32) and single IPv6 addresses.
 */
export function clientPrefix(network: string): string {
  const c = parseCidr(network);
  if (!c)
    throw new TandemError('bad_request', 'client must be an address or a network', [
      { path: 'client', message: 'must be an address or a network' },
    ]);
  if (c.ip.family === 6) {
    if (c.prefix !== 128)
      throw new TandemError('bad_request', 'IPv6 clients are matched by full address', [
        { path: 'client', message: 'use a single IPv6 address' },
      ]);
    return c.ip.canonical;
  }
  if (c.prefix % 8 !== 0 || c.prefix === 0) {
    throw new TandemError('bad_request', 'use a /8, /16, /24 or /32 network', [
      { path: 'client', message: 'use a /8, /16, /24 or /32 network' },
    ]);
  }
  const octets = c.ip.bytes.slice(0, c.prefix / 8).join('.');
  return c.prefix === 32 ? octets : `${octets}.`;
}

/** A backend as the user names it (`web/app`) in HAProxy's proxy name (`web.app`). */
export function backendFilterName(input: string): string {
  const slash = input.indexOf('/');
  return slash < 0 ? input : backendName(input.slice(0, slash), input.slice(slash + 1));
}
