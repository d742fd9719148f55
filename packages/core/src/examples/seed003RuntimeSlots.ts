import type { Recipe } from './recipe.js';

/** seed 003: a backend with server-template slots that the Runtime API fills without reloads. */
export const runtimeSlots: Recipe = {
  name: 'seed-003-runtime-slots',
  title: 'Dynamic scaling with server-template slots',
  seed: '003',
  config: {
    schemaVersion: 1,
    services: [
      {
        name: 'my-cluster',
        mode: 'http',
        binds: [{ address: '*', port: 80 }],
        defaultBackend: 'template',
        backends: [
          {
            name: 'template',
            healthCheck: { type: 'http', method: 'HEAD', path: '/' },
            servers: [{ name: 'virtdeb1', address: '198.18.7.1', port: 8080 }],
            serverTemplate: { prefix: 'websrv', count: 10, port: 8080 },
          },
        ],
      },
    ],
  },
};
