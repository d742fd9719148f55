import { describe, expect, it } from 'vitest';
import { configWith, webService } from '../model/testConfig.js';
import { parseApplianceConfig } from '../validate.js';
import {
  findServer,
  formatRuntimeCommand,
  planServerChange,
  ServerChange,
} from './planServerChange.js';

function config() {
  const r = parseApplianceConfig(
    configWith(
      webService({
        backends: [
          {
            name: 'app',
            servers: [
              { name: 'web1', address: '198.18.0.11', port: 8080, weight: 5 },
              { name: 'dup', address: '198.18.0.13', port: 1 },
            ],
          },
          { name: 'api', servers: [{ name: 'dup', address: '198.18.0.12', port: 9000 }] },
        ],
      }),
    ),
  );
  if (!r.ok) throw new Error('fixture');
  return r.value;
}

describe('planServerChange', () => {
  it('drains a server live and records it in the model', () => {
    const plan = planServerChange(config(), 'web/web1', { state: 'drain' });
    expect(plan.commands.map(formatRuntimeCommand)).toEqual([
      'set server web.app/web1 state drain',
    ]);
    expect(plan.config.services[0]?.backends[0]?.servers[0]?.state).toBe('drain');
    expect(plan.config.services[0]?.backends[0]?.servers[0]?.weight).toBe(5);
  });

  it('restores the weight on return to ready', () => {
    const drained = planServerChange(config(), 'web/web1', { state: 'drain' }).config;
    const plan = planServerChange(drained, 'web/app/web1', { state: 'ready' });
    expect(plan.commands.map(formatRuntimeCommand)).toEqual([
      'set server web.app/web1 state ready',
      'set server web.app/web1 weight 5',
    ]);
  });

  it('keeps a new weight for later while draining', () => {
    const drained = planServerChange(config(), 'web/web1', { state: 'drain' }).config;
    const plan = planServerChange(drained, 'web/web1', { weight: 9 });
    expect(plan.commands).toEqual([]);
    expect(plan.config.services[0]?.backends[0]?.servers[0]?.weight).toBe(9);
  });

  it('moves a server to a new address', () => {
    const plan = planServerChange(
      config(),
      'web/web1',
      ServerChange.parse({ address: '2001:DB8::5', weight: 3 }),
    );
    expect(plan.commands.map(formatRuntimeCommand)).toEqual([
      'set server web.app/web1 addr 2001:db8::5 port 8080',
      'set server web.app/web1 weight 3',
    ]);
  });

  it('leaves the input config untouched', () => {
    const c = config();
    planServerChange(c, 'web/web1', { state: 'maint' });
    expect(c.services[0]?.backends[0]?.servers[0]?.state).toBe('ready');
  });

  it.each([
    ['web', /name a server/],
    ['nope/web1', /no service named nope/],
    ['web/ghost', /no server web\/ghost/],
    ['web/dup', /ambiguous/],
    ['web/a/b/c', /name a server/],
  ])('refuses %s', (ref, why) => {
    expect(() => findServer(config(), ref)).toThrow(why);
  });

  it('finds an ambiguous name through its backend', () => {
    expect(findServer(config(), 'web/api/dup').backend).toBe('api');
  });

  it.each([
    [{}, /at least one/],
    [{ weight: 300 }, /between/],
    [{ state: 'off' }, /Invalid option/i],
    [{ address: 'a b' }, /IP address or a DNS name/],
  ])('validates the change %j', (change, why) => {
    const r = ServerChange.safeParse(change);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(why);
  });
});
