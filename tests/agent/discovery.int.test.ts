import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import { unixCommand } from '@tandem/agent/adapters/unixCommand';
import type { AgentHandle } from '@tandem/agent/testing/agentProcess';
import { startDnsServer } from '@tandem/agent/testing/dnsServer';
import type { ApplyResponse, DiscoveryStatus, EventRow } from '@tandem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyRuntimes, startAgentOn } from '../support/haproxyRuntimes.js';
import { freePort } from '../support/ports.js';
import { tandemctl } from '../support/tandemctl.js';

/** An HTTP server on `host` that answers with its own address (which server took a request). */
async function serverOn(host: string, port: number): Promise<Server> {
  const s = createServer((_req, res) => res.end(host));
  await new Promise<void>((r) => s.listen(port, host, r));
  return s;
}
/** One request on a new connection through the unit: the body, or the error. */
function once(port: number): Promise<{ ok: boolean; body: string }> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/', agent: false, headers: { connection: 'close' } },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ ok: res.statusCode === 200, body }));
      },
    );
    req.on('error', (e) => resolve({ ok: false, body: e.message }));
    req.end();
  });
}
/** Asks until `check` holds (what the unit serves, what it says); gives up after 30 s. */
async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`not within 30 s: ${what}`);
}

/**
 * Servers that follow DNS (issue 19) with a real DNS server (dnsmasq, started here on loopback)
 * whose records change while HAProxy runs: A records added and removed are followed with no
 * reload and no failed request, SRV records fill slots with their ports and weights, more answers
 * than slots and a name server that went away are said as events, and the last known servers
 * keep serving meanwhile.
 */
describe.each(haproxyRuntimes())('servers from DNS ($label)', (rt) => {
  let agent: AgentHandle;
  let cleanup: () => Promise<void>;
  let dns: Awaited<ReturnType<typeof startDnsServer>>;
  const servers: Server[] = [];
  let web = 0;
  let api = 0;
  let port = 0;
  const srvPorts = [0, 0];
  const events = async () =>
    (await agent.api.get<{ items: EventRow[] }>('/v1/events?kind=backend&limit=200')).items.map(
      (e) => e.message,
    );
  const status = async (backend: string) =>
    (await agent.api.get<DiscoveryStatus[]>('/v1/discovery')).find((s) => s.backend === backend);

  beforeAll(async () => {
    [port, srvPorts[0], srvPorts[1], web, api] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    for (const host of ['127.0.0.2', '127.0.0.3', '127.0.0.4'])
      servers.push(await serverOn(host, port));
    servers.push(await serverOn('127.0.0.5', srvPorts[0] ?? 0));
    servers.push(await serverOn('127.0.0.6', srvPorts[1] ?? 0));
    dns = await startDnsServer({
      hosts: {
        'web.test': ['127.0.0.2'],
        'a.srv.test': ['127.0.0.5'],
        'b.srv.test': ['127.0.0.6'],
      },
      srv: [
        { name: '_http._tcp.api.test', target: 'a.srv.test', port: srvPorts[0] ?? 0, weight: 100 },
        { name: '_http._tcp.api.test', target: 'b.srv.test', port: srvPorts[1] ?? 0, weight: 1000 },
      ],
    });
    ({ agent, cleanup } = await startAgentOn(rt, 'discovery', await freePort()));
  }, 60_000);
  afterAll(async () => {
    await agent?.stop();
    await dns?.close();
    for (const s of servers) s.close();
    await cleanup?.();
  });

  const service = (name: string, bind: number, template: object) => ({
    name,
    mode: 'http',
    binds: [{ address: '127.0.0.1', port: bind }],
    defaultBackend: 'pool',
    backends: [{ name: 'pool', serverTemplate: template }],
  });
  const config = (srvName: string) => ({
    schemaVersion: 1,
    global: {
      resolvers: {
        nameservers: [{ address: dns.address, port: dns.port }],
        holdValidMs: '1s',
        holdObsoleteMs: '1s',
        timeoutRetryMs: '200ms',
      },
    },
    services: [
      service('web', web, { prefix: 'w', count: 2, port, dns: { name: 'web.test' } }),
      service('api', api, { prefix: 's', count: 3, port: 1, dns: { name: srvName, type: 'SRV' } }),
    ],
  });
  const put = async (c: object) => {
    const { generation } = await agent.api.get<{ generation: number }>('/v1/config');
    return agent.api.send('PUT', '/v1/config', { base: generation, config: c, message: 'dns' });
  };

  it('refuses a name that is not one of its record type, naming the field', async () => {
    await expect(put(config('api.test'))).rejects.toMatchObject({
      status: 400,
      fields: [
        {
          path: 'config.services[1].backends[0].serverTemplate.dns.name',
          message: 'must be an SRV name like _http._tcp.web.example.org',
        },
      ],
    });
  });

  it('follows A records added and removed: no reload, no failed request', async () => {
    await put(config('_http._tcp.api.test'));
    await agent.api.send('POST', '/v1/apply', {});
    await until('web.test served', async () => (await once(web)).body === '127.0.0.2');
    // The unit's first look is where things stand; changes after it are news (events).
    await until('the unit sees 127.0.0.2', async () =>
      Boolean((await status('pool'))?.members.some((m) => m.address === '127.0.0.2')),
    );
    const master = (c: string) => unixCommand(join(agent.stateDir, 'run/master.sock'), c);
    const worker = (t: string) => /^(\d+)\s+worker\s+0\s/m.exec(t)?.[1];
    const before = worker(await master('show proc'));
    expect(before).toMatch(/^\d+$/);

    // A client on new connections all along, bounded by count and time (it must outlast the
    // waits below: 3,000 requests ran out before HAProxy dropped a removed address on a fast run).
    const results: { ok: boolean; body: string }[] = [];
    let stop = false;
    const loadUntil = Date.now() + 120_000;
    const load = (async () => {
      while (!stop && results.length < 200_000 && Date.now() < loadUntil)
        results.push(await once(web));
    })();
    const seen = (host: string) => results.some((r) => r.body === host);
    const lastWithout = (host: string, n: number) =>
      results.length >= n && results.slice(-n).every((r) => r.body !== host);

    await dns.setHosts({
      'web.test': ['127.0.0.2', '127.0.0.3'],
      'a.srv.test': ['127.0.0.5'],
      'b.srv.test': ['127.0.0.6'],
    });
    await until('127.0.0.3 takes requests', async () => seen('127.0.0.3'));
    await dns.setHosts({
      'web.test': ['127.0.0.3'],
      'a.srv.test': ['127.0.0.5'],
      'b.srv.test': ['127.0.0.6'],
    });
    await until('127.0.0.2 takes none', async () => lastWithout('127.0.0.2', 30));
    stop = true;
    await load;
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(worker(await master('show proc'))).toBe(before);

    // What the unit says follows within its next looks.
    await until('the unit says 127.0.0.3 alone', async () => {
      const s = await status('pool');
      return s?.members.map((m) => `${m.address}:${m.port}`).join() === `127.0.0.3:${port}`;
    });
    expect(await status('pool')).toMatchObject({
      name: 'web.test',
      slots: 2,
      answer: { count: 1, error: null },
    });
    const said = await events();
    expect(said).toContainEqual(`web.pool: 127.0.0.3:${port} joined from A web.test`);
    expect(said).toContainEqual(`web.pool: 127.0.0.2:${port} left (no longer in A web.test)`);
  }, 90_000);

  it('fills slots from SRV records with their ports and weights', async () => {
    await until('both SRV targets in the slots', async () => {
      const x = (await agent.api.get<DiscoveryStatus[]>('/v1/discovery')).find(
        (y) => y.service === 'api',
      );
      return x?.members.length === 2;
    });
    await until('both SRV targets served', async () => {
      const bodies = new Set<string>();
      for (let i = 0; i < 8; i++) bodies.add((await once(api)).body);
      return bodies.has('127.0.0.5') && bodies.has('127.0.0.6');
    });
    const s = (await agent.api.get<DiscoveryStatus[]>('/v1/discovery')).find(
      (x) => x.service === 'api',
    );
    const members = [...(s?.members ?? [])].sort((a, b) => a.port - b.port);
    expect(members.map((m) => [m.address, m.port])).toEqual(
      [
        ['127.0.0.5', srvPorts[0]],
        ['127.0.0.6', srvPorts[1]],
      ].sort((a, b) => Number(a[1]) - Number(b[1])),
    );
    const weight = (addr: string) => members.find((m) => m.address === addr)?.weight ?? 0;
    // The record with ten times the weight weighs more in HAProxy too.
    expect(weight('127.0.0.6')).toBeGreaterThan(weight('127.0.0.5'));
    expect(s?.answer).toMatchObject({ count: 2, error: null });
    // The same from the unit's shell.
    const shown = await tandemctl(join(agent.stateDir, 'agent.sock'), ['discovery']);
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(
      /^api\.pool: SRV _http\._tcp\.api\.test, 2 of 3 slots filled; 2 record\(s\)$/m,
    );
    expect(shown.out).toMatch(
      new RegExp(`^s\\d+\\s+127\\.0\\.0\\.6\\s+${srvPorts[1]}\\s+\\d+\\s+up\\s+\\d+ s$`, 'm'),
    );
  });

  it('says when a name answers more records than there are slots', async () => {
    await dns.setHosts({
      'web.test': ['127.0.0.2', '127.0.0.3', '127.0.0.4'],
      'a.srv.test': ['127.0.0.5'],
      'b.srv.test': ['127.0.0.6'],
    });
    await until('the overflow said', async () =>
      (await events()).some(
        (m) =>
          m === 'web.pool: web.test answers 3 records for 2 slots: 1 left out (raise the slots)',
      ),
    );
    await until('two slots filled', async () => (await status('pool'))?.members.length === 2);
  });

  it('applies a name that does not resolve yet with a warning naming the field, and fills it when it does', async () => {
    const c = config('_http._tcp.api.test');
    const later = service('later', await freePort(), {
      prefix: 'l',
      count: 2,
      port,
      dns: { name: 'later.test' },
    });
    await put({ ...c, services: [...c.services, later] });
    const r = await agent.api.send<ApplyResponse>('POST', '/v1/apply', {});
    expect(r.outcome).toBe('reload');
    expect(r.warnings).toEqual([
      {
        path: 'services[2].backends[0].serverTemplate.dns.name',
        message: expect.stringMatching(
          /^A later\.test does not resolve now \(\w+\): its slots start down and fill when it does$/,
        ) as unknown as string,
      },
    ]);
    // The same from tandemctl, on an apply that changes nothing.
    const shown = await tandemctl(join(agent.stateDir, 'agent.sock'), ['apply']);
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(
      /^warning: services\[2\]\.backends\[0\]\.serverTemplate\.dns\.name: A later\.test does not resolve now/m,
    );
    await dns.setHosts({
      'web.test': ['127.0.0.2', '127.0.0.3', '127.0.0.4'],
      'a.srv.test': ['127.0.0.5'],
      'b.srv.test': ['127.0.0.6'],
      'later.test': ['127.0.0.4'],
    });
    await until('later.test in its slots', async () => {
      const x = (await agent.api.get<DiscoveryStatus[]>('/v1/discovery')).find(
        (y) => y.service === 'later',
      );
      return x?.members.map((m) => m.address).join() === '127.0.0.4';
    });
    const after = await agent.api.send<ApplyResponse>('POST', '/v1/apply', {});
    expect(after.warnings).toBeUndefined();
  }, 60_000);

  it('keeps the last known servers when the name server goes away, and says so', async () => {
    const members = (await status('pool'))?.members.map((m) => m.address).sort();
    await dns.stop();
    await until('the silence said', async () =>
      (await events()).some((m) =>
        /^web\.pool: web\.test not answered \(\w+\): HAProxy keeps the last known servers$/.test(m),
      ),
    );
    // Still served by the servers known before, with no DNS at all.
    for (let i = 0; i < 10; i++) expect((await once(web)).ok).toBe(true);
    expect((await status('pool'))?.members.map((m) => m.address).sort()).toEqual(members);
    await dns.start();
    await until('the answer back said', async () =>
      (await events()).includes('web.pool: web.test answers again'),
    );
  }, 60_000);
});
