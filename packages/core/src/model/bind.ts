import { z } from 'zod';
import { Name } from '../grammar/names.js';
import { IpAddress, Port } from '../grammar/network.js';
import { hint } from './hints.js';

/**
 * Where a service listens. Either a literal address (`*` for all) or the name of a cluster VIP,
 * so that the same shared config binds the VIP on both units (HAProxy binds it on the backup too,
 * with `ip_nonlocal_bind`, and is ready the instant keepalived moves the address).
 */
export const Bind = z
  .object({
    address: hint(z.union([z.literal('*'), IpAddress]).optional(), {
      label: 'Address',
      help: 'IPv4/IPv6 address to listen on, or * for all addresses',
      placeholder: '*',
    }),
    vip: hint(Name.optional(), {
      label: 'Virtual IP',
      help: 'Name of a cluster VIP to listen on instead of a fixed address',
    }),
    port: hint(Port, { label: 'Port', placeholder: '80' }),
    tls: hint(z.boolean().default(false), {
      label: 'TLS',
      help: 'Terminate TLS on this bind with the service certificate',
    }),
  })
  .strict()
  .superRefine((b, ctx) => {
    if ((b.address === undefined) === (b.vip === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['address'],
        message: 'set exactly one of address or vip',
      });
    }
  });
export type Bind = z.output<typeof Bind>;

export const TLS_VERSIONS = ['TLSv1.2', 'TLSv1.3'] as const;
export const ALPN_PROTOCOLS = ['h2', 'http/1.1'] as const;

export const TlsSettings = z
  .object({
    certificate: hint(Name, {
      label: 'Certificate',
      help: 'Name of a certificate stored on the unit (PEM with key)',
    }),
    minVersion: hint(z.enum(TLS_VERSIONS).default('TLSv1.2'), { label: 'Minimum TLS version' }),
    alpn: hint(z.array(z.enum(ALPN_PROTOCOLS)).min(1).max(2).default(['h2', 'http/1.1']), {
      label: 'ALPN protocols',
      advanced: true,
    }),
  })
  .strict();
export type TlsSettings = z.output<typeof TlsSettings>;
