import { describe, expect, it } from 'vitest';
import { nodeUnder } from '../examples/nodes.js';
import { configWith, webService } from '../model/testConfig.js';
import { linesOf, renderInput } from './testRender.js';

describe('the global, defaults and admin sections', () => {
  it('renders the global, defaults and admin sections', () => {
    const { bundle, sections } = renderInput({ schemaVersion: 1, global: { nbthread: 2 } });
    expect(bundle.config).toMatch(/^# haproxy.cfg rendered by Tandem/);
    expect(bundle.config).toContain('# unit tandem-a, generation 7');
    expect(linesOf(sections, 'global')).toEqual([
      'node tandem-a',
      'description generation 7',
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

  it('forwards logs to the agent through a ring over TCP', () => {
    const node = {
      ...nodeUnder('/srv/t'),
      logTarget: { kind: 'ring' as const, address: '127.0.0.1', port: 5140 },
    };
    const { sections } = renderInput({ schemaVersion: 1 }, node);
    expect(sections.map((s) => s.kind)).toEqual(['global', 'ring', 'defaults', 'frontend']);
    expect(linesOf(sections, 'global')).toContain('log ring@tandem-logs local0 info');
    expect(linesOf(sections, 'ring', 'tandem-logs')).toEqual([
      'description logs for the Tandem agent',
      'format rfc3164',
      'maxlen 16384',
      'size 4194304',
      'timeout connect 5s',
      'timeout server 10s',
      'server agent 127.0.0.1:5140',
    ]);
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

  it('renders no log formats when the unit has no log target', () => {
    const { sections } = renderInput(configWith(webService()), {
      ...nodeUnder('/srv/t'),
      logTarget: undefined,
    });
    const fe = linesOf(sections, 'frontend', 'web');
    expect(fe.filter((l) => /log|capture/.test(l))).toEqual([]);
    expect(linesOf(sections, 'global').some((l) => l.startsWith('log '))).toBe(false);
  });
});
