import type { Recipe } from './recipe.js';

/**
 * seed 003 the Tandem way (issue 19): the web farm's slots filled by HAProxy's own resolver from
 * the registry's DNS (SRV records: addresses, ports and weights), live, instead of a script that
 * polls the registry and pokes the Runtime API. A second backend follows plain A records.
 */
export const dnsDiscovery: Recipe = {
  name: 'seed-003-dns-discovery',
  title: 'Dynamic scaling from DNS (SRV and A records)',
  seed: '003',
  config: {
    schemaVersion: 1,
    global: {
      resolvers: {
        nameservers: [{ address: '198.18.7.53', port: 53 }],
        holdValidMs: 5_000,
        holdObsoleteMs: 30_000,
      },
    },
    services: [
      {
        name: 'my-cluster',
        mode: 'http',
        binds: [{ address: '*', port: 80 }],
        defaultBackend: 'registry',
        backends: [
          {
            name: 'registry',
            healthCheck: { type: 'http', method: 'HEAD', path: '/' },
            serverTemplate: {
              prefix: 'websrv',
              count: 10,
              port: 8080,
              dns: { name: '_http._tcp.web.service.example.org', type: 'SRV' },
            },
          },
          {
            name: 'round-robin',
            healthCheck: { type: 'http', method: 'HEAD', path: '/' },
            serverTemplate: {
              prefix: 'rr',
              count: 4,
              port: 8080,
              dns: { name: 'web.example.org', type: 'A' },
            },
          },
        ],
      },
    ],
  },
};
