import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { Backend } from '../model/backend.js';
import type { HealthCheck } from '../model/healthCheck.js';
import { nodeUnder } from '../examples/nodes.js';
import { configWith, webService } from '../model/testConfig.js';
import { linesOf, renderInput } from './testRender.js';

describe('renderHaproxy', () => {
  it('renders the global, defaults and admin sections', () => {
    const { bundle, sections } = renderInput({ schemaVersion: 1, global: { nbthread: 2 } });
    expect(bundle.config).toMatch(/^# haproxy.cfg rendered by Tandem/);
    expect(bundle.config).toContain('# unit tandem-a, generation 7');
    expect(linesOf(sections, 'global')).toEqual([
      'maxconn 4096',
      'nbthread 2',
      'hard-stop-after 1m',
      'mworker-max-reloads 50',
      'stats socket /srv/t/run/haproxy.sock mode 660 level admin expose-fd listeners',
      'log /srv/t/run/haproxy-log.sock local0 info',
    ]);
    expect(linesOf(sections, 'defaults')).toContain('timeout tunnel 1h');
    expect(linesOf(sections, 'frontend', 'tandem-admin')).toEqual([
      'mode http',
      'bind 127.0.0.1:8404',
      'no log',
      'http-request use-service prometheus-exporter if { path /metrics }',
      'stats enable',
      'stats uri /stats',
      'stats refresh 10s',
      'stats show-legends',
    ]);
  });

  it('guards a non-loopback admin endpoint with a userlist', () => {
    const hash = `$6$abcdefgh$${'x'.repeat(86)}`;
    const { sections } = renderInput({
      schemaVersion: 1,
      global: {
        admin: {
          address: '198.18.0.1',
          auth: { user: 'ops', passwordHash: hash },
          statsPage: false,
        },
      },
    });
    expect(linesOf(sections, 'userlist', 'tandem-admin-users')).toEqual([
      `user ops password ${hash}`,
    ]);
    const admin = linesOf(sections, 'frontend', 'tandem-admin');
    expect(admin).toContain(
      'http-request auth realm tandem unless { http_auth(tandem-admin-users) }',
    );
    expect(admin).not.toContain('stats enable');
  });

  it('omits the admin endpoint when disabled and sends logs over UDP when asked', () => {
    const node = {
      ...nodeUnder('/srv/t'),
      logTarget: { kind: 'udp' as const, address: '::1', port: 514 },
    };
    const { sections } = renderInput(
      { schemaVersion: 1, global: { admin: { enabled: false } } },
      node,
    );
    expect(sections.map((s) => s.kind)).toEqual(['global', 'defaults']);
    expect(linesOf(sections, 'global')).toContain('log [::1]:514 local0 info');
  });

  it('renders an HTTP service as a frontend and one backend per pool', () => {
    const { sections } = renderInput(
      configWith(
        webService({
          description: 'Café "front" #1 $HOME it\'s',
          maxconn: 500,
          timeouts: { client: 1500, httpRequest: 5000, httpKeepAlive: 2000 },
          forwardFor: true,
          headers: [
            { phase: 'request', action: 'set', name: 'X-Discount', value: '50% off' },
            { phase: 'response', action: 'del', name: 'Server' },
            { phase: 'request', action: 'add', name: 'X-Client', value: '%[src]', dynamic: true },
          ],
        }),
      ),
    );
    expect(linesOf(sections, 'frontend', 'web')).toEqual([
      'description Café "front" #1 $HOME it\'s',
      'mode http',
      'bind *:80',
      'maxconn 500',
      'timeout client 1500ms',
      'timeout http-request 5s',
      'timeout http-keep-alive 2s',
      'option idle-close-on-response',
      'option httplog',
      'option dontlognull',
      'capture request header Host len 64',
      'capture request header User-Agent len 128',
      'option forwardfor',
      'http-request set-header X-Discount 50%% off',
      'http-response del-header Server',
      'http-request add-header X-Client %[src]',
      'default_backend web.app',
    ]);
    expect(linesOf(sections, 'backend', 'web.app')).toEqual([
      'mode http',
      'balance roundrobin',
      'server web1 198.18.0.11:8080 weight 1 check',
      'server web2 198.18.0.12:8080 weight 1 check',
    ]);
  });

  it('renders TLS, redirects, VIP binds and IPv6', () => {
    const { sections } = renderInput({
      schemaVersion: 1,
      cluster: {
        instances: [{ name: 'e', vrid: 1, vips: [{ name: 'pub', address: '198.18.0.100' }] }],
      },
      services: [
        webService({
          binds: [
            { vip: 'pub', port: 443, tls: true },
            { address: '2001:db8::1', port: 80 },
          ],
          tls: { certificate: 'site', minVersion: 'TLSv1.3', alpn: ['http/1.1'] },
          redirectToHttps: true,
          logging: { enabled: false },
        }),
      ],
    });
    const fe = linesOf(sections, 'frontend', 'web');
    expect(fe).toContain(
      'bind 198.18.0.100:443 ssl crt /srv/t/certs/site.pem alpn http/1.1 ssl-min-ver TLSv1.3',
    );
    expect(fe).toContain('bind [2001:db8::1]:80');
    expect(fe).toContain('http-request redirect scheme https code 301 unless { ssl_fc }');
    expect(fe).toContain('no log');
    expect(fe).not.toContain('option httplog');
  });

  it('renders every condition type with -- before its patterns', () => {
    const { sections } = renderInput(
      configWith(
        webService({
          binds: [{ address: '*', port: 443, tls: true }],
          tls: { certificate: 'c' },
          rules: [
            {
              conditions: [
                { type: 'host', match: 'domain', values: ['Example.com'] },
                { type: 'path', match: 'regex', values: ["^/a b'c$"] },
                { type: 'header', name: 'X-Env', match: 'present' },
                {
                  type: 'header',
                  name: 'X-Env',
                  match: 'substring',
                  values: ['-f'],
                  ignoreCase: false,
                },
                { type: 'source', networks: ['198.18.0.0/15'], negate: true },
                { type: 'method', methods: ['GET', 'HEAD'] },
                { type: 'websocket' },
                { type: 'sni', match: 'suffix', values: ['.example.com'] },
              ],
              backend: 'app',
            },
          ],
        }),
      ),
    );
    const acls = linesOf(sections, 'frontend', 'web').filter(
      (l) => l.startsWith('acl ') || l.startsWith('use_backend'),
    );
    expect(acls).toEqual([
      'acl rule1_1 req.hdr(host),host_only,lower -m str -i -- example.com',
      'acl rule1_1 req.hdr(host),host_only,lower -m end -i -- .example.com',
      "acl rule1_2 path -m reg -- ^/a b'c$",
      'acl rule1_3 req.fhdr(X-Env) -m found',
      'acl rule1_4 req.fhdr(X-Env) -m sub -- -f',
      'acl rule1_5 src -- 198.18.0.0/15',
      'acl rule1_6 method -m str -- GET HEAD',
      'acl rule1_7 req.hdr(upgrade) -m str -i -- websocket',
      'acl rule1_8 ssl_fc_sni -m end -i -- .example.com',
      'use_backend web.app if rule1_1 rule1_2 rule1_3 rule1_4 !rule1_5 rule1_6 rule1_7 rule1_8',
    ]);
  });

  it('inspects the ClientHello for SNI routing on a TCP service', () => {
    const { sections } = renderInput(
      configWith(
        webService({
          mode: 'tcp',
          rules: [
            {
              conditions: [{ type: 'sni', match: 'exact', values: ['a.example.com'] }],
              backend: 'app',
            },
          ],
        }),
      ),
    );
    const fe = linesOf(sections, 'frontend', 'web');
    expect(fe).toContain('tcp-request inspect-delay 5s');
    expect(fe).toContain('tcp-request content accept if { req.ssl_hello_type 1 }');
    expect(fe).toContain('acl rule1_1 req.ssl_sni -m str -i -- a.example.com');
    expect(fe).toContain('option tcplog');
    expect(fe).not.toContain('option idle-close-on-response');
  });

  it('writes a host map file, most specific domain first', () => {
    const { bundle, sections } = renderInput(
      configWith(
        webService({
          hostMap: {
            match: 'domain',
            entries: [
              { host: 'example.com', backend: 'app' },
              { host: 'API.example.com', backend: 'app' },
            ],
          },
        }),
      ),
    );
    expect(linesOf(sections, 'frontend', 'web')).toContain(
      'use_backend %[req.hdr(host),host_only,lower,regsub(^,.),map_end(/srv/t/maps/web.hosts.map,web.app)]',
    );
    expect(bundle.files).toEqual([
      {
        path: '/srv/t/maps/web.hosts.map',
        content: '# host map of service web\n.api.example.com web.app\n.example.com web.app\n',
      },
    ]);
  });

  it('renders exact host maps with map_str', () => {
    const { bundle, sections } = renderInput(
      configWith(webService({ hostMap: { entries: [{ host: 'a.example.com', backend: 'app' }] } })),
    );
    expect(linesOf(sections, 'frontend', 'web')).toContain(
      'use_backend %[req.hdr(host),host_only,lower,map_str(/srv/t/maps/web.hosts.map,web.app)]',
    );
    expect(bundle.files[0]?.content).toContain('a.example.com web.app');
  });

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
                  disabled: true,
                },
                {
                  name: 'b',
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
      'server b app.internal:80 weight 1 cookie b source [::1]:2000-3000 init-addr last,libc,none',
      'server-template slot 1-5 0.0.0.0:8080 disabled check',
    ]);
  });

  it.each([
    [{ algorithm: 'url_param', param: 'id' }, 'balance url_param id'],
    [
      { algorithm: 'hdr', header: 'Host', useDomainOnly: true },
      'balance hdr(Host) use_domain_only',
    ],
    [{ algorithm: 'source' }, 'balance source'],
    [{ algorithm: 'static-rr' }, 'balance static-rr'],
  ] as const)('renders balance %j', (balance, line) => {
    const { sections } = renderInput(
      configWith(
        webService({
          backends: [
            { name: 'app', balance, servers: [{ name: 's', address: '198.18.0.1', port: 1 }] },
          ],
        }),
      ),
    );
    expect(linesOf(sections, 'backend', 'web.app')).toContain(line);
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
    expect(linesOf(sections, 'backend', 'web.tcp')).toContain(
      'default-server inter 1s rise 2 fall 3',
    );
  });

  it('renders no log formats when the unit has no log target', () => {
    const { sections } = renderInput(configWith(webService()), {
      ...nodeUnder('/srv/t'),
      logTarget: undefined,
    });
    const fe = linesOf(sections, 'frontend', 'web');
    expect(fe.filter((l) => /log|capture/.test(l))).toEqual([]);
    expect(linesOf(sections, 'global').some((l) => l.startsWith('log '))).toBe(false);
  });

  it('skips disabled services and maps every line to the field that made it', () => {
    const { bundle, sections } = renderInput(
      configWith(
        webService(),
        webService({ name: 'off', enabled: false, binds: [{ address: '*', port: 81 }] }),
      ),
    );
    expect(sections.filter((s) => s.kind === 'frontend').map((s) => s.args[0])).toEqual([
      'tandem-admin',
      'web',
    ]);
    const lines = bundle.config.split('\n');
    const serverLine = lines.findIndex((l) => l.includes('server web2'));
    expect(bundle.lineOrigins[serverLine]).toBe('services[0].backends[0].servers[1]');
    expect(bundle.lineOrigins.length).toBe(lines.length - 1);
  });

  it('is deterministic', () => {
    const a = renderInput(configWith(webService())).bundle.config;
    const b = renderInput(configWith(webService())).bundle.config;
    expect(a).toBe(b);
  });
});
