import { z } from 'zod';
import { Name } from '../grammar/names.js';
import { Cidr } from '../grammar/network.js';
import { hint } from '../model/hints.js';
import { bindOn, Endpoint, listenOn, toServers } from './params.js';
import { defineTemplate } from './serviceTemplate.js';

export const sourceRoutedTunnel = defineTemplate({
  name: 'source-routed-tunnel',
  title: 'Source-IP routed TCP tunnel',
  summary: 'One TCP port; the client network decides which server the connection goes to.',
  recipe: 'seed 001: a "fake HTTPS" port 443 routing each customer by source address',
  params: z
    .object({
      ...listenOn(443),
      routes: hint(
        z
          .array(
            z
              .object({ name: Name, networks: z.array(Cidr).min(1).max(64), server: Endpoint })
              .strict(),
          )
          .min(1)
          .max(64),
        { label: 'Routes', help: 'Client networks and the server they reach' },
      ),
      defaultServer: hint(Endpoint.optional(), {
        label: 'Default server',
        help: 'For clients in no listed network; unset refuses them',
      }),
    })
    .strict(),
  example: {
    name: 'app-tunnel',
    address: '198.18.0.101',
    routes: [
      {
        name: 'customer1',
        networks: ['198.18.10.0/24'],
        server: { address: '198.18.0.111', port: 35007 },
      },
      {
        name: 'pilot2',
        networks: ['198.18.20.0/24', '198.18.21.7'],
        server: { address: '198.18.0.112', port: 35096 },
      },
    ],
  },
  build: (p) => [
    {
      name: p.name,
      mode: 'tcp',
      binds: [bindOn(p, p.port)],
      rules: p.routes.map((r) => ({
        name: r.name,
        conditions: [{ type: 'source' as const, networks: r.networks }],
        backend: r.name,
      })),
      defaultBackend: p.defaultServer ? 'default' : 'refuse',
      backends: [
        ...p.routes.map((r) => ({
          name: r.name,
          servers: toServers([r.server], 'app'),
          healthCheck: { type: 'tcp' as const },
        })),
        p.defaultServer
          ? {
              name: 'default',
              servers: toServers([p.defaultServer], 'app'),
              healthCheck: { type: 'tcp' as const },
            }
          : // No server at all: HAProxy closes the connection. Runtime slots keep the backend valid and let
            // an operator add a server later without a reload.
            { name: 'refuse', serverTemplate: { prefix: 'slot', count: 1, port: p.port } },
      ],
    },
  ],
});
