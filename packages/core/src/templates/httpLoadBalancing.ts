import { z } from 'zod';
import { hint } from '../model/hints.js';
import { bindOn, endpoints, healthPath, listenOn, toServers } from './params.js';
import { defineTemplate } from './serviceTemplate.js';

export const httpLoadBalancing = defineTemplate({
  name: 'http-load-balancing',
  title: 'HTTP load balancing',
  summary: 'Spread HTTP requests over a pool of web servers, with an HTTP health check.',
  params: z
    .object({
      ...listenOn(80),
      servers: endpoints('Web servers'),
      algorithm: hint(
        z.enum(['roundrobin', 'leastconn', 'random', 'source']).default('roundrobin'),
        {
          label: 'Balancing',
          help: 'leastconn suits long requests; source keeps a client on one server',
        },
      ),
      healthPath,
      stickySessions: hint(z.boolean().default(false), {
        label: 'Sticky sessions',
        help: 'Insert a cookie so a browser keeps talking to the same server',
      }),
    })
    .strict(),
  example: {
    name: 'web',
    port: 80,
    servers: [
      { address: '198.18.0.11', port: 8080 },
      { address: '198.18.0.12', port: 8080 },
    ],
    healthPath: '/health',
  },
  build: (p) => [
    {
      name: p.name,
      mode: 'http',
      binds: [bindOn(p, p.port)],
      forwardFor: true,
      defaultBackend: 'app',
      backends: [
        {
          name: 'app',
          balance: { algorithm: p.algorithm },
          servers: toServers(p.servers, 'web'),
          healthCheck: { type: 'http', path: p.healthPath },
          ...(p.stickySessions ? { stickiness: { type: 'cookie' as const } } : {}),
        },
      ],
    },
  ],
});
