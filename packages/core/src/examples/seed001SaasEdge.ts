import type { Recipe } from './recipe.js';

/**
 * seed 001: a SaaS edge pair. URL-routed HTTP, a TCP 443 passthrough, a "fake HTTPS" tunnel routed
 * by source address, classic port maps, all on VIPs that keepalived moves between two units.
 * (The seed's stats page had `admin:letmein`; Tandem keeps it on loopback instead.)
 */
export const saasEdge: Recipe = {
  name: 'seed-001-saas-edge',
  title: 'SaaS edge pair: URL routing, TLS passthrough, source-routed tunnel, port maps on VIPs',
  seed: '001',
  config: {
    schemaVersion: 1,
    global: { maxconn: 8192, timeouts: { connect: 5000, client: 20000, server: 20000 } },
    cluster: {
      instances: [
        {
          name: 'edge',
          vrid: 51,
          vips: [
            { name: 'public-web', address: '198.18.0.100', prefixLength: 24 },
            { name: 'public-tunnel', address: '198.18.0.101', prefixLength: 24 },
          ],
        },
      ],
    },
    services: [
      {
        name: 'public-http',
        mode: 'http',
        binds: [{ vip: 'public-web', port: 80 }],
        forwardFor: true,
        rules: [
          {
            name: 'api',
            conditions: [{ type: 'path', match: 'prefix', values: ['/api/'] }],
            backend: 'api',
          },
        ],
        defaultBackend: 'web-farm',
        backends: [
          {
            name: 'web-farm',
            healthCheck: { type: 'http', path: '/' },
            servers: [
              { name: 'web0', address: '198.18.2.10', port: 80 },
              { name: 'web1', address: '198.18.2.11', port: 80 },
            ],
          },
          {
            name: 'api',
            healthCheck: { type: 'http', path: '/api/health' },
            servers: [{ name: 'api0', address: '198.18.2.20', port: 8080 }],
          },
        ],
      },
      {
        name: 'public-https',
        mode: 'tcp',
        binds: [{ vip: 'public-web', port: 443 }],
        defaultBackend: 'web-farm-ssl',
        backends: [
          {
            name: 'web-farm-ssl',
            servers: [
              { name: 'web0', address: '198.18.2.10', port: 443 },
              { name: 'web1', address: '198.18.2.11', port: 443 },
            ],
          },
        ],
      },
      {
        name: 'app-tunnel',
        mode: 'tcp',
        binds: [{ vip: 'public-tunnel', port: 443 }],
        rules: [
          {
            name: 'pilot2',
            conditions: [{ type: 'source', networks: ['198.18.20.0/24'] }],
            backend: 'pilot-customer2',
          },
          {
            name: 'customer1',
            conditions: [{ type: 'source', networks: ['198.18.10.0/24'] }],
            backend: 'customer1',
          },
        ],
        defaultBackend: 'unknown-client',
        backends: [
          {
            name: 'customer1',
            servers: [{ name: 'applive0', address: '198.18.3.10', port: 35007 }],
          },
          {
            name: 'pilot-customer2',
            servers: [{ name: 'applive0', address: '198.18.3.10', port: 35096 }],
          },
          { name: 'unknown-client', serverTemplate: { prefix: 'slot', count: 1, port: 443 } },
        ],
      },
      {
        name: 'app-customer1',
        mode: 'tcp',
        binds: [{ address: '*', port: 35007 }],
        defaultBackend: 'app',
        backends: [
          { name: 'app', servers: [{ name: 'applive0', address: '198.18.3.10', port: 35007 }] },
        ],
      },
      {
        name: 'app-pilot-customer2',
        mode: 'tcp',
        binds: [{ address: '*', port: 35096 }],
        defaultBackend: 'app',
        backends: [
          { name: 'app', servers: [{ name: 'applive0', address: '198.18.3.10', port: 35096 }] },
        ],
      },
    ],
  },
};
