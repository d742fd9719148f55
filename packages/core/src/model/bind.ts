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
    sniCertificates: hint(
      z
        .array(Name)
        .max(50, { error: 'at most 50 certificates' })
        .default([])
        .refine((a) => new Set(a).size === a.length, { error: 'names a certificate twice' }),
      {
        label: 'More certificates (chosen by SNI)',
        help: 'Stored certificates the bind also presents: a client gets the one whose names match the name it asks for (SNI), else the certificate above',
        advanced: true,
      },
    ),
    minVersion: hint(z.enum(TLS_VERSIONS).default('TLSv1.2'), { label: 'Minimum TLS version' }),
    alpn: hint(z.array(z.enum(ALPN_PROTOCOLS)).min(1).max(2).default(['h2', 'http/1.1']), {
      label: 'ALPN protocols',
      advanced: true,
    }),
  })
  .strict()
  .refine((t) => !t.sniCertificates.includes(t.certificate), {
    error: 'names the main certificate again',
    path: ['sniCertificates'],
  });
export type TlsSettings = z.output<typeof TlsSettings>;

/** Every certificate a TLS setting presents: the default first, then those chosen by SNI. */
export const certificatesOf = (t: TlsSettings | undefined): string[] =>
  t ? [t.certificate, ...t.sniCertificates] : [];
