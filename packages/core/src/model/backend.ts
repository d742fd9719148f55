import { z } from 'zod';
import { Name } from '../grammar/names.js';
import { IntRange } from '../grammar/text.js';
import { Balance, HASHED_ALGORITHMS } from './balance.js';
import { HealthCheck } from './healthCheck.js';
import { hint } from './hints.js';
import { Server, ServerTemplate, SourceAddress } from './server.js';
import { Stickiness } from './stickiness.js';
import { BackendTimeouts } from './timeouts.js';

export const Backend = z
  .object({
    name: hint(Name, { label: 'Name', placeholder: 'app' }),
    balance: hint(Balance.default({ algorithm: 'roundrobin' }), { label: 'Balancing' }),
    hashType: hint(z.enum(['consistent', 'map-based']).optional(), {
      label: 'Hash type',
      help: 'consistent: adding or removing a server moves only its share of the keys (caches)',
      advanced: true,
    }),
    servers: z.array(Server).max(1000, { error: 'at most 1000 servers' }).default([]),
    serverTemplate: hint(ServerTemplate.optional(), {
      label: 'Runtime slots',
      help: 'Empty server slots filled at runtime without a reload',
      advanced: true,
    }),
    healthCheck: HealthCheck.optional(),
    stickiness: Stickiness.optional(),
    timeouts: BackendTimeouts.default({}),
    retries: hint(IntRange(0, 100).optional(), { label: 'Retries', advanced: true }),
    redispatch: hint(z.boolean().optional(), {
      label: 'Redispatch',
      help: 'Retry on another server when the chosen one fails',
      advanced: true,
    }),
    source: hint(SourceAddress.optional(), { label: 'Source address', advanced: true }),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.hashType !== undefined && !HASHED_ALGORITHMS.has(b.balance.algorithm)) {
      ctx.addIssue({
        code: 'custom',
        path: ['hashType'],
        message: `only applies to hashing algorithms, not ${b.balance.algorithm}`,
      });
    }
    if (b.servers.length === 0 && b.serverTemplate === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['servers'],
        message: 'needs at least one server or runtime slots',
      });
    }
    const seen = new Set<string>();
    b.servers.forEach((s, i) => {
      if (seen.has(s.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['servers', i, 'name'],
          message: `duplicate server name ${s.name}`,
        });
      }
      seen.add(s.name);
    });
    if (b.serverTemplate) {
      const { prefix, count } = b.serverTemplate;
      b.servers.forEach((s, i) => {
        const n = s.name.startsWith(prefix) ? s.name.slice(prefix.length) : '';
        if (/^[1-9][0-9]*$/.test(n) && Number(n) <= count) {
          ctx.addIssue({
            code: 'custom',
            path: ['servers', i, 'name'],
            message: `collides with runtime slot ${prefix}1-${count}`,
          });
        }
      });
    }
  });
export type Backend = z.output<typeof Backend>;
