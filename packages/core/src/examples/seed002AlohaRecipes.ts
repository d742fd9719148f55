import { REDIS_MASTER_CHECK } from '../templates/redisMaster.js';
import type { Recipe } from './recipe.js';

/**
 * seed 002: the ALOHA recipes on one unit. Host map with a static/dynamic split and a cache farm
 * hashed on Host+URI (the X-LB header), TLS with captured Host/User-Agent for readable log URLs,
 * a Redis master-only check, MySQL with source addresses against port exhaustion, WebSockets.
 */
export const alohaRecipes: Recipe = {
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
              steps: REDIS_MASTER_CHECK,
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
