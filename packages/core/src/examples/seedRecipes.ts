import type { ApplianceConfigInput } from '../model/applianceConfig.js';

export interface Recipe {
  name: string;
  title: string;
  seed: string;
  config: ApplianceConfigInput;
}

/**
 * seed 001: a SaaS edge pair. URL-routed HTTP, a TCP 443 passthrough, a "fake HTTPS" tunnel routed
 * by source address, classic port maps, all on VIPs that keepalived moves between two units.
 * (The seed's stats page had `admin:letmein`; Tandem keeps it on loopback instead.)
 */
const saasEdge: Recipe = {
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

/**
 * seed 002: the ALOHA recipes on one unit. Host map with a static/dynamic split and a cache farm
 * hashed on Host+URI (the X-LB header), TLS with captured Host/User-Agent for readable log URLs,
 * a Redis master-only check, MySQL with source addresses against port exhaustion, WebSockets.
 */
const alohaRecipes: Recipe = {
  name: 'seed-002-aloha-recipes',
  title: 'Host map, cache farm, Redis master, MySQL source spreading, WebSockets',
  seed: '002',
  config: {
    schemaVersion: 1,
    services: [
      {
        name: 'www',
        mode: 'http',
        binds: [
          { address: '*', port: 443, tls: true },
          { address: '*', port: 80 },
        ],
        tls: { certificate: 'www' },
        redirectToHttps: true,
        forwardFor: true,
        logging: { captureHost: true, captureUserAgent: true },
        headers: [
          {
            phase: 'request',
            action: 'set',
            name: 'X-LB',
            value: '%[req.hdr(host),lower]%[url,lower]',
            dynamic: true,
          },
        ],
        rules: [
          {
            name: 'static',
            conditions: [{ type: 'host', match: 'prefix', values: ['static.', 'images.'] }],
            backend: 'static',
          },
          {
            name: 'static-files',
            conditions: [
              {
                type: 'path',
                match: 'suffix',
                values: ['.jpg', '.png', '.gif', '.css', '.js'],
                ignoreCase: true,
              },
            ],
            backend: 'static',
          },
          { name: 'ws', conditions: [{ type: 'websocket' }], backend: 'ws' },
        ],
        hostMap: {
          match: 'domain',
          entries: [
            { host: 'app1.example.com', backend: 'app1' },
            { host: 'app2.example.com', backend: 'app2' },
            { host: 'shop.app2.example.com', backend: 'app1' },
          ],
        },
        defaultBackend: 'dynamic',
        backends: [
          {
            name: 'static',
            balance: { algorithm: 'hdr', header: 'X-LB' },
            hashType: 'consistent',
            healthCheck: { type: 'http', method: 'HEAD', path: '/' },
            servers: [
              { name: 'varnish1', address: '198.18.4.1', port: 6081 },
              { name: 'varnish2', address: '198.18.4.2', port: 6081 },
            ],
          },
          { name: 'app1', servers: [{ name: 'app1a', address: '198.18.4.11', port: 8080 }] },
          { name: 'app2', servers: [{ name: 'app2a', address: '198.18.4.12', port: 8080 }] },
          {
            name: 'dynamic',
            stickiness: { type: 'cookie', secure: true },
            servers: [
              { name: 'dyn1', address: '198.18.4.21', port: 8080 },
              { name: 'dyn2', address: '198.18.4.22', port: 8080 },
            ],
          },
          {
            name: 'ws',
            balance: { algorithm: 'leastconn' },
            timeouts: { tunnel: 3_600_000 },
            servers: [{ name: 'ws1', address: '198.18.4.31', port: 8081 }],
          },
        ],
      },
      {
        name: 'redis',
        mode: 'tcp',
        binds: [{ address: '*', port: 6379 }],
        defaultBackend: 'master',
        backends: [
          {
            name: 'master',
            healthCheck: {
              type: 'tcp-script',
              intervalMs: 1000,
              steps: [
                { action: 'send', data: 'PING\r\n' },
                { action: 'expect', match: 'string', value: '+PONG' },
                { action: 'send', data: 'info replication\r\n' },
                { action: 'expect', match: 'string', value: 'role:master' },
                { action: 'send', data: 'QUIT\r\n' },
                { action: 'expect', match: 'string', value: '+OK' },
              ],
            },
            servers: [
              { name: 'r1', address: '198.18.5.1', port: 6379 },
              { name: 'r2', address: '198.18.5.2', port: 6379 },
            ],
          },
        ],
      },
      {
        name: 'mysql',
        mode: 'tcp',
        binds: [{ address: '*', port: 3306 }],
        defaultBackend: 'replicas',
        backends: [
          {
            name: 'replicas',
            balance: { algorithm: 'leastconn' },
            healthCheck: { type: 'mysql', user: 'haproxy_check' },
            // Each server connects from its own source address, and within a fixed port range,
            // so no single (source, destination) pair runs out of its 64k ports.
            servers: [
              {
                name: 'master',
                address: '198.18.6.1',
                port: 3306,
                weight: 1,
                source: { address: '198.18.1.1', portFrom: 1025, portTo: 65000 },
              },
              {
                name: 'slave1',
                address: '198.18.6.2',
                port: 3306,
                weight: 3,
                source: { address: '198.18.1.2', portFrom: 1025, portTo: 65000 },
              },
              {
                name: 'slave2',
                address: '198.18.6.3',
                port: 3306,
                weight: 3,
                source: { address: '198.18.1.3', portFrom: 1025, portTo: 65000 },
              },
            ],
          },
        ],
      },
    ],
  },
};

/** seed 003: a backend with server-template slots that the Runtime API fills without reloads. */
const runtimeSlots: Recipe = {
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

/**
 * seed 004: zero-downtime reloads. TLS offload to three local Node.js servers; the global
 * section's `expose-fd listeners`, `hard-stop-after` and per-frontend `idle-close-on-response`
 * are what make a reload every 200 ms lose nothing.
 */
const zeroDowntime: Recipe = {
  name: 'seed-004-zero-downtime',
  title: 'TLS offload to local servers, tuned for reloads under load',
  seed: '004',
  config: {
    schemaVersion: 1,
    global: { hardStopAfterMs: 30_000 },
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

export const RECIPES: readonly Recipe[] = [saasEdge, alohaRecipes, runtimeSlots, zeroDowntime];
