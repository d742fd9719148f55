import { z } from 'zod';
import { DurationMs } from '../grammar/text.js';
import { hint } from '../model/hints.js';
import { bindOn, endpoints, listenOn, toServers } from './params.js';
import { defineTemplate } from './serviceTemplate.js';

/**
 * The Redis master-only check of seed 002: only the node that answers role:master is UP, so
 * clients always reach the master, whichever node Sentinel promoted. The three commands go in
 * one send: Redis answers and closes after QUIT, so a replica's answer is conclusive at once.
 * Sent one by one, `expect role:master` on a replica waits for more data until `timeout check`
 * (5 s), times `fall`: a role switch took 17 s to be followed, with writes alternating.
 */
export const REDIS_MASTER_CHECK = [
  { action: 'send' as const, data: 'PING\r\ninfo replication\r\nQUIT\r\n' },
  { action: 'expect' as const, match: 'string' as const, value: '+PONG' },
  { action: 'expect' as const, match: 'string' as const, value: 'role:master' },
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
      ...listenOn(6379),
      servers: endpoints('Redis servers'),
      checkIntervalMs: hint(DurationMs(100, 60_000).default(1_000), {
        label: 'Check interval',
        unit: 'duration',
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
          // A role answer is authoritative, not a transient blip: one check flips a server, and
          // clients of a demoted master are disconnected so their next write finds the new one.
          healthCheck: {
            type: 'tcp-script',
            intervalMs: p.checkIntervalMs,
            rise: 1,
            fall: 1,
            closeOnDown: true,
            steps: REDIS_MASTER_CHECK,
          },
        },
      ],
    },
  ],
});
