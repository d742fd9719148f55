import { z } from 'zod';
import { UrlPath } from '../grammar/text.js';
import { DurationMs } from '../grammar/text.js';
import { hint } from '../model/hints.js';
import { bindOn, endpoints, healthPath, listenOn, toServers } from './params.js';
import { defineTemplate } from './serviceTemplate.js';

export const websocketSite = defineTemplate({
  name: 'websocket-site',
  title: 'WebSocket-aware site',
  summary: 'Route WebSocket upgrades to their own pool with a long tunnel timeout and a 101 check.',
  recipe: 'seed 002: WebSocket balancing, upgrade routing, timeout tunnel',
  params: z
    .object({
      ...listenOn(80),
      webServers: endpoints('Web servers'),
      socketServers: endpoints('WebSocket servers'),
      socketPath: hint(UrlPath.default('/ws'), {
        label: 'WebSocket path',
        help: 'Also used for the 101 check',
      }),
      healthPath,
      tunnelTimeoutMs: hint(DurationMs(1_000, 86_400_000).default(3_600_000), {
        label: 'Idle WebSocket timeout',
        unit: 'duration',
      }),
    })
    .strict(),
  example: {
    name: 'chat',
    webServers: [{ address: '198.18.0.61', port: 8080 }],
    socketServers: [
      { address: '198.18.0.62', port: 8081 },
      { address: '198.18.0.63', port: 8081 },
    ],
  },
  build: (p) => [
    {
      name: p.name,
      mode: 'http',
      binds: [bindOn(p, p.port)],
      forwardFor: true,
      rules: [
        {
          name: 'websocket',
          conditions: [
            { type: 'websocket' as const },
            { type: 'path' as const, match: 'prefix' as const, values: [p.socketPath] },
          ],
          backend: 'sockets',
        },
      ],
      defaultBackend: 'web',
      backends: [
        {
          name: 'web',
          servers: toServers(p.webServers, 'web'),
          healthCheck: { type: 'http', path: p.healthPath },
        },
        {
          name: 'sockets',
          // Long-lived sockets: balance on connection count, not round robin.
          balance: { algorithm: 'leastconn' },
          timeouts: { tunnel: p.tunnelTimeoutMs },
          servers: toServers(p.socketServers, 'ws'),
          healthCheck: {
            type: 'http',
            path: p.socketPath,
            host: 'localhost',
            headers: [
              { name: 'Connection', value: 'Upgrade' },
              { name: 'Upgrade', value: 'websocket' },
              { name: 'Sec-WebSocket-Version', value: '13' },
              { name: 'Sec-WebSocket-Key', value: 'dGhlIHNhbXBsZSBub25jZQ==' },
            ],
            expect: { kind: 'status', value: '101' },
          },
        },
      ],
    },
  ],
});
