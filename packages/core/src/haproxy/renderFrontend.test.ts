import { compactLogFormat } from '../logs/compactLog.js';
import { describe, expect, it } from 'vitest';
import { configWith, webService } from '../model/testConfig.js';
import { parseApplianceConfig, parseNodeSettings } from '../validate.js';
import { nodeUnder } from '../examples/nodes.js';
import { renderHaproxy } from './renderHaproxy.js';
import { linesOf, renderInput } from './testRender.js';

describe('service frontends', () => {
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
      `log-format ${compactLogFormat('http', { host: true, userAgent: true })}`,
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
    expect(fe.some((l) => l.startsWith('log-format'))).toBe(false);
  });

  it('presents the main certificate first, then those chosen by SNI', () => {
    const { sections } = renderInput(
      configWith(
        webService({
          binds: [{ address: '*', port: 443, tls: true }],
          tls: { certificate: 'site', sniCertificates: ['api', 'shop'] },
        }),
      ),
    );
    expect(linesOf(sections, 'frontend', 'web').find((l) => l.startsWith('bind'))).toMatch(
      /^bind \*:443 ssl crt \/srv\/t\/certs\/site\.pem crt \/srv\/t\/certs\/api\.pem crt \/srv\/t\/certs\/shop\.pem alpn /,
    );
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
    expect(fe).toContain(`log-format ${compactLogFormat('tcp', { host: true, userAgent: true })}`);
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

  it('answers ACME HTTP-01 from the challenge map only on a unit that has ACME set up', () => {
    const cfg = parseApplianceConfig(configWith(webService()));
    const node = parseNodeSettings(nodeUnder('/srv/t'));
    if (!cfg.ok || !node.ok) throw new Error('fixture');
    const on = renderHaproxy(cfg.value, { node: node.value, acmeChallenges: true });
    const off = renderHaproxy(cfg.value, { node: node.value });
    const lookup = 'path,field(4,/),map(/srv/t/maps/tandem-acme-challenges.map)';
    const rule = `http-request return status 200 content-type text/plain lf-string %[${lookup}] if { path_beg /.well-known/acme-challenge/ } { ${lookup} -m found }`;
    const lines = on.config.split('\n').map((l) => l.trim());
    expect(lines.indexOf(rule)).toBeGreaterThan(-1);
    expect(on.files).toContainEqual({
      path: '/srv/t/maps/tandem-acme-challenges.map',
      content: '# ACME HTTP-01 challenges: token key-authorization, added at run time\n',
    });
    expect(off.config).not.toContain('acme-challenge');
    expect(off.files.map((f) => f.path)).not.toContain('/srv/t/maps/tandem-acme-challenges.map');
  });
});
