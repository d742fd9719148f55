import { z } from 'zod';
import { DurationMs } from '../grammar/text.js';
import { hint } from '../model/hints.js';
import {
  bindOn,
  endpoints,
  listenAddress,
  listenVip,
  port,
  serviceName,
  toServers,
} from './params.js';
import { defineTemplate } from './serviceTemplate.js';

/**
 * The Redis master-only check of seed 002: only the node that answers role:master is UP, so
 * clients always reach the master, whichever node Sentinel promoted.
 */
export const REDIS_MASTER_CHECK = [
  { action: 'send' as const, data: 'PING\r\n' },
  { action: 'expect' as const, match: 'string' as const, value: '+PONG' },
  { action: 'send' as const, data: 'info replication\r\n' },
  { action: 'expect' as const, match: 'string' as const, value: 'role:master' },
  { action: 'send' as const, data: 'QUIT\r\n' },
  { action: 'expect' as const, match: 'string' as const, value: '+OK' },
];

export const redisMaster = defineTemplate({
  name: 'redis-master',
  title: 'Redis master only',
  summary:
    'Send Redis clients only to the node that reports role:master, found by a scripted check.',
  recipe: 'seed 002: tcp-check PING / info replication / role:master',
  params: z
    .object({
      name: serviceName,
      address: listenAddress,
      vip: listenVip,
      port: port(6379),
      servers: endpoints('Redis servers'),
      checkIntervalMs: hint(DurationMs(100, 60_000).default(1_000), {
        label: 'Check interval',
        unit: 'ms',
      }),
    })
    .strict(),
  example: {
    name: 'redis',
    servers: [
      { address: '198.18.0.71', port: 6379 },
      { address: '198.18.0.72', port: 6379 },
    ],
  },
  build: (p) => [
    {
      name: p.name,
      mode: 'tcp',
      binds: [bindOn(p, p.port)],
      defaultBackend: 'master',
      backends: [
        {
          name: 'master',
          servers: toServers(p.servers, 'redis'),
          healthCheck: {
            type: 'tcp-script',
            intervalMs: p.checkIntervalMs,
            steps: REDIS_MASTER_CHECK,
          },
        },
      ],
    },
  ],
});
