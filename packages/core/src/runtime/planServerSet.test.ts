import { describe, expect, it } from 'vitest';
import { configWith, webService } from '../model/testConfig.js';
import { parseApplianceConfig } from '../validate.js';
import { formatRuntimeCommand } from './planServerChange.js';
import { planAddServers, planRemoveServer } from './planServerSet.js';

function config(extra: object = {}) {
  const r = parseApplianceConfig(
    configWith(
      webService({
        backends: [
          {
            name: 'app',
            healthCheck: { type: 'http', path: '/health', intervalMs: 500, rise: 1, fall: 2 },
            servers: [{ name: 'web1', address: '198.18.0.11', port: 8080 }],
            ...extra,
          },
        ],
      }),
    ),
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

describe('planAddServers', () => {
  it('adds servers live with explicit check timing, then readies them', () => {
    const plan = planAddServers(config(), 'web', 'app', [
      { name: 'web2', address: '198.18.0.12', port: 8080, weight: 2 },
      { name: 'web3', address: '2001:db8::3', port: 8080, state: 'maint', check: false },
    ]);
    expect(plan.commands?.map(formatRuntimeCommand)).toEqual([
      'add server web.app/web2 198.18.0.12:8080 weight 2 check inter 500ms rise 1 fall 2',
      'enable health web.app/web2',
      'set server web.app/web2 state ready',
      'add server web.app/web3 [2001:db8::3]:8080 weight 1',
    ]);
    expect(plan.config.services[0]?.backends[0]?.servers.map((s) => s.name)).toEqual([
      'web1',
      'web2',
      'web3',
    ]);
  });

  it('falls back to a reload for DNS names and cookie stickiness', () => {
    expect(
      planAddServers(config(), 'web', 'app', [{ name: 'x', address: 'x.internal', port: 1 }])
        .commands,
    ).toBeNull();
    expect(
      planAddServers(config({ stickiness: { type: 'cookie' } }), 'web', 'app', [
        { name: 'x', address: '198.18.0.9', port: 1 },
      ]).commands,
    ).toBeNull();
  });

  it.each([
    [[{ name: 'web1', address: '198.18.0.12', port: 1 }], /does not validate/],
    [[{ name: 'ok', address: 'not valid', port: 1 }], /a server does not validate/],
    [[], /1 to 1000/],
  ])('refuses %j', (servers, why) => {
    expect(() => planAddServers(config(), 'web', 'app', servers)).toThrow(why);
  });

  it('names the missing service or backend', () => {
    expect(() => planAddServers(config(), 'nope', 'app', [{}])).toThrow(/no service named nope/);
    expect(() => planAddServers(config(), 'web', 'nope', [{}])).toThrow(/no backend nope/);
  });
});

describe('planRemoveServer', () => {
  it('puts the server in maintenance, shuts its sessions and deletes it', () => {
    const added = planAddServers(config(), 'web', 'app', [
      { name: 'web2', address: '198.18.0.12', port: 8080 },
    ]).config;
    const plan = planRemoveServer(added, 'web/web2');
    expect(plan.commands?.map(formatRuntimeCommand)).toEqual([
      'set server web.app/web2 state maint',
      'shutdown sessions server web.app/web2',
      'del server web.app/web2',
    ]);
    expect(plan.config.services[0]?.backends[0]?.servers.map((s) => s.name)).toEqual(['web1']);
  });

  it('refuses to leave a backend without servers', () => {
    expect(() => planRemoveServer(config(), 'web/web1')).toThrow(/does not validate/);
  });
});
