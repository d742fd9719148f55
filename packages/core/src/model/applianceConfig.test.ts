import { describe, expect, it } from 'vitest';
import { parseApplianceConfig } from '../validate.js';
import type { ApplianceConfigInput } from './applianceConfig.js';
import type { ServiceInput } from './service.js';
import { configWith, webService } from './testConfig.js';

function errorsOf(input: unknown) {
  const r = parseApplianceConfig(input);
  if (r.ok) throw new Error('expected the config to be rejected');
  return r.errors;
}

const vipCluster: ApplianceConfigInput['cluster'] = {
  instances: [
    {
      name: 'edge',
      vrid: 51,
      vips: [{ name: 'public', address: '198.18.0.100', prefixLength: 24 }],
    },
  ],
};

describe('ApplianceConfig', () => {
  it('accepts a minimal config and fills defaults', () => {
    const r = parseApplianceConfig({ schemaVersion: 1 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.global.admin.address).toBe('127.0.0.1');
    expect(r.value.global.timeouts.client).toBe(30_000);
    expect(r.value.services).toEqual([]);
  });

  it('canonicalises addresses', () => {
    const r = parseApplianceConfig(
      configWith(webService({ binds: [{ address: '2001:DB8:0::1', port: 80 }] })),
    );
    expect(r.ok && r.value.services[0]?.binds[0]?.address).toBe('2001:db8::1');
  });

  it('says what a field of several forms takes, never a bare "Invalid input"', () => {
    const errors = errorsOf(
      configWith(webService({ binds: [{ address: '300.1.1.1', port: 80 }] })),
    );
    expect(errors).toEqual([
      { path: 'services[0].binds[0].address', message: 'must be "*" or an IPv4 or IPv6 address' },
    ]);
  });

  const bad: [string, ServiceInput[] | ApplianceConfigInput, string, RegExp][] = [
    [
      'unknown field',
      [{ ...webService(), extra: 1 } as ServiceInput],
      'services[0]',
      /unrecognized/i,
    ],
    [
      'bad port',
      [webService({ binds: [{ address: '*', port: 70000 }] })],
      'services[0].binds[0].port',
      /65535/,
    ],
    ['newline in name', [webService({ name: 'web\n    program x' })], 'services[0].name', /A-Z/],
    [
      'missing default backend',
      [webService({ defaultBackend: 'nope' })],
      'services[0].defaultBackend',
      /no backend named nope/,
    ],
    [
      'rule to unknown backend',
      [
        webService({
          rules: [
            { conditions: [{ type: 'path', match: 'prefix', values: ['/a'] }], backend: 'x' },
          ],
        }),
      ],
      'services[0].rules[0].backend',
      /no backend named x/,
    ],
    [
      'http condition on tcp',
      [
        webService({
          mode: 'tcp',
          rules: [
            { conditions: [{ type: 'path', match: 'prefix', values: ['/a'] }], backend: 'app' },
          ],
        }),
      ],
      'services[0].rules[0].conditions[0].type',
      /need mode http/,
    ],
    [
      'tls bind without certificate',
      [webService({ binds: [{ address: '*', port: 443, tls: true }] })],
      'services[0].binds[0].tls',
      /certificate/,
    ],
    [
      'certificate without tls bind',
      [webService({ tls: { certificate: 'c' } })],
      'services[0].tls',
      /no bind/,
    ],
    [
      'redirect without tls',
      [webService({ redirectToHttps: true })],
      'services[0].redirectToHttps',
      /TLS bind/,
    ],
    [
      'both address and vip',
      [webService({ binds: [{ address: '*', vip: 'v', port: 80 }] })],
      'services[0].binds[0].address',
      /exactly one/,
    ],
    [
      'unknown vip',
      [webService({ binds: [{ vip: 'nope', port: 80 }] })],
      'services[0].binds[0].vip',
      /no cluster VIP/,
    ],
    [
      'duplicate services',
      [webService(), webService({ binds: [{ address: '*', port: 81 }] })],
      'services[1].name',
      /duplicate/,
    ],
    [
      'port clash',
      [webService(), webService({ name: 'other' })],
      'services[1].binds[0].port',
      /already used by service web/,
    ],
    [
      'star overlaps address',
      [webService(), webService({ name: 'other', binds: [{ address: '198.18.0.1', port: 80 }] })],
      'services[1].binds[0].port',
      /already used/,
    ],
    ['reserved name', [webService({ name: 'tandem-x' })], 'services[0].name', /tandem-/],
    [
      'proxy name collision',
      [
        webService({
          name: 'a.b',
          backends: [{ name: 'c', servers: [{ name: 's', address: '198.18.0.1', port: 1 }] }],
          defaultBackend: 'c',
        }),
        webService({
          name: 'a',
          binds: [{ address: '*', port: 81 }],
          backends: [{ name: 'b.c', servers: [{ name: 's', address: '198.18.0.1', port: 1 }] }],
          defaultBackend: 'b.c',
        }),
      ],
      'services[1].backends[0].name',
      /already used/,
    ],
    [
      'hash type on roundrobin',
      [
        webService({
          backends: [
            {
              name: 'app',
              hashType: 'consistent',
              servers: [{ name: 's', address: '198.18.0.1', port: 1 }],
            },
          ],
        }),
      ],
      'services[0].backends[0].hashType',
      /hashing/,
    ],
    [
      'empty backend',
      [webService({ backends: [{ name: 'app' }] })],
      'services[0].backends[0].servers',
      /at least one server/,
    ],
    [
      'duplicate server',
      [
        webService({
          backends: [
            {
              name: 'app',
              servers: [
                { name: 's', address: '198.18.0.1', port: 1 },
                { name: 's', address: '198.18.0.2', port: 1 },
              ],
            },
          ],
        }),
      ],
      'services[0].backends[0].servers[1].name',
      /duplicate/,
    ],
    [
      'server collides with slots',
      [
        webService({
          backends: [
            {
              name: 'app',
              servers: [{ name: 'slot2', address: '198.18.0.1', port: 1 }],
              serverTemplate: { prefix: 'slot', count: 3, port: 80 },
            },
          ],
        }),
      ],
      'services[0].backends[0].servers[0].name',
      /runtime slot/,
    ],
    [
      'cookie on tcp',
      [
        webService({
          mode: 'tcp',
          backends: [
            {
              name: 'app',
              stickiness: { type: 'cookie' },
              servers: [{ name: 's', address: '198.18.0.1', port: 1 }],
            },
          ],
        }),
      ],
      'services[0].backends[0].stickiness.type',
      /need/,
    ],
    [
      'dynamic header outside allow-list',
      [
        webService({
          headers: [
            {
              phase: 'request',
              action: 'set',
              name: 'X-Env',
              value: '%[env(HOME)]',
              dynamic: true,
            },
          ],
        }),
      ],
      'services[0].headers[0].value',
      /not allowed/,
    ],
    [
      'set without value',
      [webService({ headers: [{ phase: 'request', action: 'set', name: 'X' }] })],
      'services[0].headers[0].value',
      /required/,
    ],
    [
      'bad regex',
      [
        webService({
          rules: [
            {
              conditions: [{ type: 'path', match: 'regex', values: ['(unclosed'] }],
              backend: 'app',
            },
          ],
        }),
      ],
      'services[0].rules[0].conditions[0].values[0]',
      /regular expression/,
    ],
    [
      'source port range reversed',
      [
        webService({
          backends: [
            {
              name: 'app',
              servers: [
                {
                  name: 's',
                  address: '198.18.0.1',
                  port: 1,
                  source: { address: '198.18.1.1', portFrom: 9000, portTo: 2000 },
                },
              ],
            },
          ],
        }),
      ],
      'services[0].backends[0].servers[0].source.portTo',
      /lower/,
    ],
    [
      'admin off loopback without auth',
      { schemaVersion: 1, global: { admin: { address: '198.18.0.1' } } },
      'global.admin.auth',
      /required/,
    ],
    [
      'admin port clash',
      [webService({ binds: [{ address: '127.0.0.1', port: 8404 }] })],
      'services[0].binds[0].port',
      /admin endpoint/,
    ],
    [
      'duplicate vrid',
      {
        schemaVersion: 1,
        cluster: {
          instances: [
            ...(vipCluster?.instances ?? []),
            { name: 'b', vrid: 51, vips: [{ name: 'p2', address: '198.18.0.101' }] },
          ],
        },
      },
      'cluster.instances[1].vrid',
      /already used/,
    ],
    [
      'advert interval granularity',
      {
        schemaVersion: 1,
        cluster: {
          instances: [
            {
              name: 'a',
              vrid: 1,
              advertIntervalMs: 155,
              vips: [{ name: 'p', address: '198.18.0.1' }],
            },
          ],
        },
      },
      'cluster.instances[0].advertIntervalMs',
      /multiple of 10/,
    ],
    [
      'IPv4 and IPv6 VIPs in one VRRP instance',
      {
        schemaVersion: 1,
        cluster: {
          instances: [
            {
              name: 'a',
              vrid: 1,
              vips: [
                { name: 'p', address: '198.18.0.1' },
                { name: 'p6', address: '2001:db8::1', prefixLength: 64 },
              ],
            },
          ],
        },
      },
      'cluster.instances[0].vips[1].address',
      /one family per instance/,
    ],
    [
      'wrong schema version',
      { schemaVersion: 2 } as unknown as ApplianceConfigInput,
      'schemaVersion',
      /1/,
    ],
  ];

  it.each(bad)('rejects %s with the field named', (_label, input, path, message) => {
    const errors = errorsOf(Array.isArray(input) ? configWith(...input) : input);
    const hit = errors.find((e) => e.path === path);
    expect(hit, JSON.stringify(errors)).toBeDefined();
    expect(hit?.message).toMatch(message);
  });

  it('binds a VIP by name', () => {
    const r = parseApplianceConfig({
      ...configWith(webService({ binds: [{ vip: 'public', port: 80 }] })),
      cluster: vipCluster,
    });
    expect(r.ok).toBe(true);
  });

  it('does not check binds of disabled services for clashes', () => {
    const r = parseApplianceConfig(
      configWith(webService(), webService({ name: 'old', enabled: false })),
    );
    expect(r.ok).toBe(true);
  });
});
