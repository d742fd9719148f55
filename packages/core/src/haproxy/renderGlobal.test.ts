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
      'hard-stop-after 1h',
      'close-spread-time 5s',
      'mworker-max-reloads 1000',
      'server-state-file /srv/t/server-state',
      'stats socket /srv/t/run/haproxy.sock mode 660 level admin expose-fd listeners',
      'stats timeout 1h',
      'log /srv/t/run/haproxy-log.sock local0 info',
    ]);
    expect(linesOf(sections, 'defaults')).toContain('timeout tunnel 1h');
    expect(linesOf(sections, 'defaults')).toContain('load-server-state-from-file global');
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

  it('bounds old workers by the longest tunnel timeout, a set grace, or the cap', () => {
    const grace = (input: object) =>
      linesOf(renderInput({ schemaVersion: 1, ...input }).sections, 'global').find((l) =>
        l.startsWith('hard-stop-after'),
      );
    // A WebSocket backend promising 2 h of idle time keeps its tunnels across applies...
    const ws = (tunnel: number) => ({
      services: [
        {
          ...webService(),
          backends: [{ ...webService().backends[0], timeouts: { tunnel } }],
        },
      ],
    });
    const cap3h = { global: { oldWorkerGraceMaxMs: 10_800_000 } };
    expect(grace({ ...ws(7_200_000), ...cap3h })).toBe('hard-stop-after 2h');
    // ...up to the cap (1 h unless set), and an operator's own grace wins over both.
    expect(grace(ws(7_200_000))).toBe('hard-stop-after 1h');
    expect(grace({ ...ws(80_000_000), ...cap3h })).toBe('hard-stop-after 3h');
    expect(grace({ ...ws(7_200_000), global: { oldWorkerGraceMs: 30_000 } })).toBe(
      'hard-stop-after 30s',
    );
    // Generations stored before the grace followed tunnels: the old default goes, a choice stays.
    expect(grace({ global: { hardStopAfterMs: 60_000 } })).toBe('hard-stop-after 1h');
    expect(grace({ global: { hardStopAfterMs: 120_000 } })).toBe('hard-stop-after 2m');
    const reloads = (input: object) =>
      linesOf(renderInput({ schemaVersion: 1, ...input }).sections, 'global').find((l) =>
        l.startsWith('mworker-max-reloads'),
      );
    expect(reloads({ global: { mworkerMaxReloads: 50 } })).toBe('mworker-max-reloads 1000');
    expect(reloads({ global: { mworkerMaxReloads: 80 } })).toBe('mworker-max-reloads 80');
    // No spread when set to 0 (HAProxy closes at once).
    expect(
      linesOf(renderInput({ schemaVersion: 1, global: { closeSpreadMs: 0 } }).sections, 'global'),
    ).not.toContainEqual(expect.stringMatching(/^close-spread-time/));
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
