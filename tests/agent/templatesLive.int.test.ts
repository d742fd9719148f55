import { createServer as createHttpServer, request, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect, createServer as createTcpServer } from 'node:net';
import { join } from 'node:path';
import { createSelfSignedPair } from '@tandem/agent/adapters/certificates';
import { unixCommand } from '@tandem/agent/adapters/unixCommand';
import type { AgentHandle } from '@tandem/agent/testing/agentProcess';
import { parseServersState } from '@tandem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyRuntimes, startAgentOn } from '../support/haproxyRuntimes.js';
import { freePort } from '../support/ports.js';
import { addService } from '../support/serviceEdits.js';

/**
 * The service templates against the real servers they front (issue 12): what each template
 * promises, observed from a client. Redis is in reloadState, WebSockets in websocketSite.
 */
const rt = haproxyRuntimes()[0]!;

interface Seen {
  name: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

/** An HTTP server that answers with its name and what it received. */
async function echoHttp(name: string) {
  const server = createHttpServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ name, path: req.url ?? '', headers: req.headers }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  return { name, server, port: typeof a === 'object' && a ? a.port : 0 };
}

/** A TCP server that writes its name and closes. */
async function nameTcp(name: string) {
  const server = createTcpServer((s) => s.end(name));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  return { name, server, port: typeof a === 'object' && a ? a.port : 0 };
}

function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: { connection: 'close', ...headers }, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
const seen = async (port: number, path: string, headers: Record<string, string> = {}) =>
  JSON.parse((await get(port, path, headers)).body) as Seen;

function readTcp(port: number, localAddress = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, localAddress });
    let out = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => (out += d));
    s.on('end', () => resolve(out));
    s.on('error', reject);
  });
}

describe(`templates against real servers on ${rt.label}`, () => {
  let cleanup: () => Promise<void> = async () => undefined;
  let agent: AgentHandle;
  const servers: Server[] = [];
  const ports: Record<string, number> = {};
  const own = <T extends { server: Server }>(x: T) => (servers.push(x.server), x);

  const opState = async (backend: string, server: string) => {
    const text = await unixCommand(join(agent.stateDir, 'run/haproxy.sock'), 'show servers state');
    return parseServersState(text).find((r) => r.backend === backend && r.server === server)
      ?.opState;
  };
  const until = async (what: string, ok: () => Promise<boolean>) => {
    const deadline = Date.now() + 30_000;
    while (!(await ok())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const caches = [] as Awaited<ReturnType<typeof echoHttp>>[];

  beforeAll(async () => {
    ({ agent, cleanup } = await startAgentOn(rt, 'templates', await freePort()));
    for (const k of ['cache', 'apps', 'tcp', 'sidecar', 'https', 'http', 'tunnel'])
      ports[k] = await freePort();
    for (let i = 1; i <= 4; i++) caches.push(own(await echoHttp(`cache${i}`)));
    await addService(agent, 'cache-farm', {
      name: 'cache',
      address: '127.0.0.1',
      port: ports.cache,
      caches: caches.slice(0, 3).map((c) => ({ address: '127.0.0.1', port: c.port })),
      hashOn: 'whole-url',
    });
    const apps = await Promise.all(['app1', 'app2', 'static', 'default'].map(echoHttp));
    apps.forEach(own);
    await addService(agent, 'host-path-switching', {
      name: 'apps',
      address: '127.0.0.1',
      port: ports.apps,
      backends: apps.map((a) => ({
        name: a.name,
        servers: [{ address: '127.0.0.1', port: a.port }],
      })),
      hosts: [
        { host: 'app1.example.com', backend: 'app1' },
        { host: 'app2.example.com', backend: 'app2' },
      ],
      pathRoutes: [{ prefix: '/assets/', backend: 'static' }],
      staticExtensions: ['.css'],
      staticBackend: 'static',
      defaultBackend: 'default',
    });
    const primary = own(await nameTcp('primary'));
    const backup = own(await nameTcp('backup'));
    ports.primaryBackend = primary.port;
    await addService(agent, 'tcp-port-map', {
      name: 'tcp',
      address: '127.0.0.1',
      port: ports.tcp,
      servers: [{ address: '127.0.0.1', port: primary.port }],
      backupServers: [{ address: '127.0.0.1', port: backup.port }],
    });
    const target = own(await echoHttp('target'));
    const fallback = own(await echoHttp('fallback'));
    ports.target = target.port;
    await addService(agent, 'outbound-sidecar', {
      name: 'sidecar',
      port: ports.sidecar,
      target: { address: '127.0.0.1', port: target.port },
      fallbacks: [{ address: '127.0.0.1', port: fallback.port }],
      headers: [{ name: 'x-imps-instance', value: 'server' }],
    });
    const shop = own(await echoHttp('shop'));
    // Into the certificate store, as the console uploads it (cert and key in one text).
    const pair = await createSelfSignedPair('shop.example.test');
    await agent.api.send('POST', '/v1/certificates', { name: 'shop', pem: pair.cert + pair.key });
    await addService(agent, 'https-offload', {
      name: 'shop',
      address: '127.0.0.1',
      httpsPort: ports.https,
      httpPort: ports.http,
      certificate: 'shop',
      servers: [{ address: '127.0.0.1', port: shop.port }],
    });
    const c1 = own(await nameTcp('customer1'));
    const c2 = own(await nameTcp('customer2'));
    await addService(agent, 'source-routed-tunnel', {
      name: 'tunnel',
      address: '127.0.0.1',
      port: ports.tunnel,
      routes: [
        {
          name: 'customer1',
          networks: ['127.0.0.2'],
          server: { address: '127.0.0.1', port: c1.port },
        },
        {
          name: 'customer2',
          networks: ['127.0.0.3/32'],
          server: { address: '127.0.0.1', port: c2.port },
        },
      ],
    });
    await agent.api.send('POST', '/v1/apply', {});
  }, 90_000);

  afterAll(async () => {
    await agent?.stop();
    for (const s of servers) s.close();
    await cleanup();
  });

  it('cache-farm: a URL always reaches the same cache, and adding a cache moves only its share', async () => {
    const urls = Array.from({ length: 300 }, (_, i) => `/object/${i}?v=${i % 7}`);
    const before = new Map<string, string>();
    for (const u of urls) before.set(u, (await seen(ports.cache!, u)).name);
    for (const u of urls.slice(0, 30))
      expect((await seen(ports.cache!, u)).name).toBe(before.get(u));
    // Every cache takes some of the keys.
    expect(new Set(before.values()).size).toBe(3);
    await agent.api.send('PUT', '/v1/services/cache/template', {
      base: (await agent.api.get<{ desired: number }>('/v1/status')).desired,
      template: 'cache-farm',
      params: {
        name: 'cache',
        address: '127.0.0.1',
        port: ports.cache,
        caches: caches.map((c) => ({ address: '127.0.0.1', port: c.port })),
        hashOn: 'whole-url',
      },
    });
    await agent.api.send('POST', '/v1/apply', {});
    let moved = 0;
    for (const u of urls) {
      const now = (await seen(ports.cache!, u)).name;
      if (now !== before.get(u)) {
        moved++;
        // A key only ever moves to the new cache, never between the old ones.
        expect(now).toBe('cache4');
      }
    }
    // About a quarter of the keys move (consistent hashing), not most of them.
    expect(moved).toBeGreaterThan(urls.length * 0.1);
    expect(moved).toBeLessThan(urls.length * 0.4);
  }, 60_000);

  it('host-path-switching: hosts, path prefixes and static extensions reach their pools', async () => {
    const at = (path: string, host: string) => seen(ports.apps!, path, { host });
    expect((await at('/', 'app1.example.com')).name).toBe('app1');
    expect((await at('/x', 'APP2.example.com')).name).toBe('app2');
    expect((await at('/assets/logo.svg', 'app1.example.com')).name).toBe('static');
    expect((await at('/site.css', 'app2.example.com')).name).toBe('static');
    expect((await at('/', 'unknown.example.com')).name).toBe('default');
  });

  it('tcp-port-map: the backup takes over when the primary goes down', async () => {
    expect(await readTcp(ports.tcp!)).toBe('primary');
    const primary = servers.find((s) => {
      const a = s.address();
      return typeof a === 'object' && a?.port === ports.primaryBackend;
    });
    await new Promise<void>((r) => primary!.close(() => r()));
    await until('the primary to be DOWN', async () => (await opState('tcp.app', 'app1')) === 0);
    expect(await readTcp(ports.tcp!)).toBe('backup');
  }, 60_000);

  it('outbound-sidecar: the header is added, and the fallback takes over', async () => {
    const first = await seen(ports.sidecar!, '/send');
    expect(first).toMatchObject({ name: 'target', headers: { 'x-imps-instance': 'server' } });
    const target = servers.find((s) => {
      const a = s.address();
      return typeof a === 'object' && a?.port === ports.target;
    });
    await new Promise<void>((r) => target!.close(() => r()));
    await until(
      'the target to be DOWN',
      async () => (await opState('sidecar.target', 'primary1')) === 0,
    );
    expect(await seen(ports.sidecar!, '/send')).toMatchObject({
      name: 'fallback',
      headers: { 'x-imps-instance': 'server' },
    });
  }, 60_000);

  it('https-offload: TLS ends at the unit, the server sees HTTP with the scheme, plain HTTP redirects', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpsRequest(
        {
          host: '127.0.0.1',
          port: ports.https,
          path: '/cart',
          servername: 'shop.example.test',
          rejectUnauthorized: false,
          agent: false,
        },
        (res) => {
          let b = '';
          res.on('data', (d: Buffer) => (b += d.toString()));
          res.on('end', () => resolve(b));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(JSON.parse(body)).toMatchObject({
      name: 'shop',
      path: '/cart',
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '127.0.0.1' },
    });
    const plain = await get(ports.http!, '/cart', { host: 'shop.example.test' });
    expect(plain.status).toBe(301);
    expect(plain.headers.location).toBe('https://shop.example.test/cart');
  });

  it('source-routed-tunnel: each client network reaches its own server, others are refused', async () => {
    expect(await readTcp(ports.tunnel!, '127.0.0.2')).toBe('customer1');
    expect(await readTcp(ports.tunnel!, '127.0.0.3')).toBe('customer2');
    expect(await readTcp(ports.tunnel!, '127.0.0.4').catch(() => '')).toBe('');
  });
});
