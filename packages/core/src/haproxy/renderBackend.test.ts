import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { Backend } from '../model/backend.js';
import type { HealthCheck } from '../model/healthCheck.js';
import { configWith, webService } from '../model/testConfig.js';
import { linesOf, renderInput } from './testRender.js';

describe('service backends', () => {
  it('renders balancing, stickiness, checks and server options', () => {
    const { sections } = renderInput(
      configWith(
        webService({
          backends: [
            {
              name: 'app',
              balance: { algorithm: 'uri', whole: true, depth: 2, len: 64 },
              hashType: 'consistent',
              timeouts: { connect: 1000, server: 2000, queue: 3000, tunnel: 3_600_000 },
              retries: 5,
              redispatch: false,
              source: { address: '198.18.1.1' },
              stickiness: { type: 'cookie', name: 'LB', secure: false },
              healthCheck: {
                type: 'http',
                method: 'HEAD',
                path: '/health',
                host: 'app.example.com',
                expect: { kind: 'rstring', value: 'ok|ready' },
                intervalMs: 500,
                rise: 1,
                fall: 2,
              },
              servers: [
                {
                  name: 'a',
                  address: '198.18.0.1',
                  port: 80,
                  weight: 10,
                  maxconn: 100,
                  backup: true,
                  state: 'maint',
                },
                {
                  name: 'b',
                  state: 'drain',
                  address: 'app.internal',
                  port: 80,
                  check: false,
                  source: { address: '::1', portFrom: 2000, portTo: 3000 },
                },
              ],
              serverTemplate: { prefix: 'slot', count: 5, port: 8080 },
            },
          ],
        }),
      ),
    );
    expect(linesOf(sections, 'backend', 'web.app')).toEqual([
      'mode http',
      'balance uri whole depth 2 len 64',
      'hash-type consistent',
      'timeout connect 1s',
      'timeout server 2s',
      'timeout queue 3s',
      'timeout tunnel 1h',
      'retries 5',
      'no option redispatch',
      'source 198.18.1.1',
      'cookie LB insert indirect nocache httponly',
      'option httpchk',
      'http-check send meth HEAD uri /health ver HTTP/1.1 hdr Host app.example.com',
      'http-check expect rstring ok|ready',
      'default-server inter 500ms rise 1 fall 2',
      'server a 198.18.0.1:80 weight 10 maxconn 100 check backup disabled cookie a',
      'server b app.internal:80 weight 0 cookie b source [::1]:2000-3000 init-addr last,libc,none',
      'server-template slot 1-5 0.0.0.0:8080 disabled check',
    ]);
  });

  it('renders scripted TCP, MySQL, Redis checks and source stickiness', () => {
    const backend = (
      name: string,
      healthCheck: z.input<typeof HealthCheck>,
      extra: Partial<z.input<typeof Backend>> = {},
    ) => ({
      name,
      healthCheck,
      servers: [{ name: 's', address: '198.18.0.1', port: 1 }],
      ...extra,
    });
    const { sections } = renderInput(
      configWith(
        webService({
          mode: 'tcp',
          defaultBackend: 'script',
          backends: [
            backend('script', {
              type: 'tcp-script',
              steps: [
                { action: 'connect', port: 6380, tls: true },
                { action: 'send', data: 'AUTH "x" $y\r\n' },
                { action: 'expect', match: 'rstring', value: '^\\+OK' },
              ],
            }),
            backend(
              'mysql',
              { type: 'mysql', user: 'check' },
              { stickiness: { type: 'source', tableSize: 1000, expireMs: 60_000 } },
            ),
            backend('redis', { type: 'redis' }),
            backend('tcp', { type: 'tcp', intervalMs: 1000 }),
            backend('primary', {
              type: 'mysql',
              user: 'haproxy_check',
              role: 'writable',
              rise: 1,
              fall: 1,
              closeOnDown: true,
            }),
          ],
        }),
      ),
    );
    expect(linesOf(sections, 'backend', 'web.script')).toEqual([
      'mode tcp',
      'balance roundrobin',
      'option tcp-check',
      'tcp-check connect port 6380 ssl',
      'tcp-check send AUTH "x" $y\r\n',
      'tcp-check expect rstring ^\\+OK',
      'default-server inter 2s rise 2 fall 3',
      'server s 198.18.0.1:1 weight 1 check',
    ]);
    expect(linesOf(sections, 'backend', 'web.mysql')).toEqual(
      expect.arrayContaining([
        'option mysql-check user check post-41',
        'stick-table type ipv6 size 1000 expire 1m',
        'stick on src',
      ]),
    );
    expect(linesOf(sections, 'backend', 'web.redis')).toContain('option redis-check');
    // Only a server that is not read-only passes (the packets are explained in mysqlWritableCheck).
    expect(linesOf(sections, 'backend', 'web.primary')).toEqual([
      'mode tcp',
      'balance roundrobin',
      'option tcp-check',
      'tcp-check expect rbinary ^.{6}000[aA]',
      // Handshake response, sequence 1: capabilities, max packet, utf8, 23 zeros, the user, no auth.
      `tcp-check send-binary 2f000001018200000000000121${'00'.repeat(23)}${Buffer.from('haproxy_check').toString('hex')}0000`,
      'tcp-check expect rbinary ^.{6}0200',
      // COM_QUERY SELECT @@global.read_only, then COM_QUIT: the answer is conclusive at once.
      `tcp-check send-binary 1a00000003${Buffer.from('SELECT @@global.read_only').toString('hex')}0100000001`,
      'tcp-check expect binary 020000040130',
      'default-server inter 2s rise 1 fall 1 on-marked-down shutdown-sessions',
      'server s 198.18.0.1:1 weight 1 check',
    ]);
    expect(linesOf(sections, 'backend', 'web.tcp')).toContain(
      'default-server inter 1s rise 2 fall 3',
    );
  });
});
