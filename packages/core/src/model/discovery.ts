import { z } from 'zod';
import { HOSTNAME_RE, IpAddress, Port } from '../grammar/network.js';
import { DurationMs, IntRange } from '../grammar/text.js';
import { hint } from './hints.js';

/** An SRV name: `_service._proto.` then a DNS name (`_http._tcp.web.example`). */
const SRV_RE = /^_[A-Za-z0-9-]{1,62}\._(?:tcp|udp)\.(.+)$/;

export const DNS_RECORD_TYPES = ['A', 'AAAA', 'SRV'] as const;

/**
 * Servers that follow DNS (issue 19): a backend's runtime slots filled by HAProxy's own resolver
 * from A/AAAA records (each address on the slots' port) or SRV records (address, port and
 * weight from each record), live, without a reload.
 */
export const DnsDiscovery = z
  .object({
    name: hint(z.string().max(253), {
      label: 'DNS name',
      help: 'A/AAAA: a name like web.example.org; SRV: _service._proto.name like _http._tcp.web.example.org',
      placeholder: 'web.example.org',
    }),
    type: hint(z.enum(DNS_RECORD_TYPES).default('A'), {
      label: 'Record type',
      help: 'A or AAAA: every address on the slots’ port; SRV: addresses, ports and weights from the records',
    }),
  })
  .strict()
  .superRefine((d, ctx) => {
    const srv = SRV_RE.exec(d.name);
    if (d.type === 'SRV' && !(srv?.[1] && HOSTNAME_RE.test(srv[1])))
      ctx.addIssue({
        code: 'custom',
        path: ['name'],
        message: 'must be an SRV name like _http._tcp.web.example.org',
      });
    if (d.type !== 'SRV' && !HOSTNAME_RE.test(d.name))
      ctx.addIssue({
        code: 'custom',
        path: ['name'],
        message: 'must be a DNS name like web.example.org',
      });
  });
export type DnsDiscovery = z.output<typeof DnsDiscovery>;

/**
 * How HAProxy resolves discovered servers (one `resolvers` section for the unit): the name
 * servers (none: the system's, from /etc/resolv.conf), how long an answer is trusted, how long a
 * server missing from the answers is kept, and the largest answer taken (EDNS0).
 */
export const ResolverSettings = z
  .object({
    nameservers: hint(
      z
        .array(
          z
            .object({
              address: hint(IpAddress, { label: 'Address' }),
              port: hint(Port.default(53), { label: 'Port' }),
            })
            .strict(),
        )
        .max(4, { error: 'at most 4 name servers' })
        .default([]),
      {
        label: 'Name servers',
        help: 'None: the system’s, from /etc/resolv.conf',
      },
    ),
    holdValidMs: hint(DurationMs(1_000, 3_600_000).default(10_000), {
      label: 'Ask again after',
      help: 'How long an answer is used before the name is resolved again',
      unit: 'duration',
    }),
    holdObsoleteMs: hint(DurationMs(0, 3_600_000).default(30_000), {
      label: 'Keep a missing server for',
      help: 'A server no longer in the answers leaves its slot after this long (a record briefly missing does not cut traffic)',
      unit: 'duration',
    }),
    keepUnansweredMs: hint(DurationMs(1_000, 604_800_000).default(86_400_000), {
      label: 'Keep servers while DNS does not answer',
      help: 'A name server that times out or refuses does not empty the slots before this long',
      unit: 'duration',
      advanced: true,
    }),
    timeoutRetryMs: hint(DurationMs(100, 60_000).default(1_000), {
      label: 'Retry a query after',
      unit: 'duration',
      advanced: true,
    }),
    resolveRetries: hint(IntRange(1, 10).default(3), { label: 'Query retries', advanced: true }),
    acceptedPayloadSize: hint(IntRange(512, 65_535).default(8_192), {
      label: 'Largest answer',
      help: 'EDNS0 payload size in bytes: large SRV answers need more than 512',
      unit: 'bytes',
      advanced: true,
    }),
  })
  .strict();
export type ResolverSettings = z.output<typeof ResolverSettings>;
