import type { Recipe } from './recipe.js';

/**
 * seed 004: zero-downtime reloads. TLS offload to three local Node.js servers; the global
 * section's `expose-fd listeners`, `hard-stop-after` and per-frontend `idle-close-on-response`
 * are what make a reload every 200 ms lose nothing.
 */
export const zeroDowntime: Recipe = {
  name: 'seed-004-zero-downtime',
  title: 'TLS offload to local servers, tuned for reloads under load',
  seed: '004',
  config: {
    schemaVersion: 1,
    global: { oldWorkerGraceMs: 30_000 },
    services: [
      {
        name: 'site',
        mode: 'http',
        binds: [{ address: '*', port: 443, tls: true }],
        tls: { certificate: 'site', minVersion: 'TLSv1.2' },
        forwardFor: true,
        headers: [{ phase: 'request', action: 'set', name: 'X-Forwarded-Proto', value: 'https' }],
        defaultBackend: 'node',
        backends: [
          {
            name: 'node',
            healthCheck: { type: 'http', path: '/' },
            servers: [
              { name: 'node9000', address: '127.0.0.1', port: 9000 },
              { name: 'node9001', address: '127.0.0.1', port: 9001 },
              { name: 'node9002', address: '127.0.0.1', port: 9002 },
            ],
          },
        ],
      },
    ],
  },
};
