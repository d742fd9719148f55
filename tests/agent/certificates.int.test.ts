import { connect as tlsConnect } from 'node:tls';
import { request as httpsRequest } from 'node:https';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unixCommand } from '@tandem/agent/adapters/unixCommand';
import type { AgentHandle } from '@tandem/agent/testing/agentProcess';
import { namedBackend } from '@tandem/agent/testing/agentProcess';
import { startWebhookReceiver } from '@tandem/agent/testing/webhookReceiver';
import { makeTestChain, type TestChain } from '@tandem/agent/testing/testCertificates';
import type {
  ApplianceConfigInput,
  CertificateStored,
  StatusResponse,
  StoredCertificate,
} from '@tandem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyRuntimes, startAgentOn } from '../support/haproxyRuntimes.js';
import { freePort } from '../support/ports.js';
import { addService } from '../support/serviceEdits.js';
import { tandemctl } from '../support/tandemctl.js';

/** The certificate HAProxy presents on `port` for `servername`: its SHA-256 fingerprint. */
function servedFingerprint(port: number, servername: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false }, () => {
      const fp = s.getPeerCertificate().fingerprint256;
      s.end();
      resolve(fp);
    });
    s.on('error', reject);
  });
}

/** One HTTPS request on a new connection (a new handshake): its status, or the error. */
function httpsOnce(port: number, servername: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = httpsRequest(
      { host: '127.0.0.1', port, path: '/', servername, rejectUnauthorized: false, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', (e) => resolve(e.message));
    req.end();
  });
}

/**
 * The certificate store with a real agent and HAProxy (issue 18): uploads checked and named,
 * a service that names a certificate the unit does not have refused, the stored certificate
 * served by SNI, and a replacement put in place live (no reload) under load.
 */
describe.each(haproxyRuntimes())('certificates ($label)', (rt) => {
  let agent: AgentHandle;
  let cleanup: () => Promise<void>;
  let backend: Awaited<ReturnType<typeof namedBackend>>;
  let port: number;
  let first: TestChain;
  let second: TestChain;
  const put = (body: object) => agent.api.send<CertificateStored>('POST', '/v1/certificates', body);

  beforeAll(async () => {
    [first, second] = await Promise.all([
      makeTestChain(['shop.test']),
      makeTestChain(['shop.test']),
    ]);
    backend = await namedBackend('shop');
    port = await freePort();
    ({ agent, cleanup } = await startAgentOn(rt, 'certs', await freePort()));
  }, 60_000);
  afterAll(async () => {
    await agent?.stop();
    backend?.server.close();
    await cleanup?.();
  });

  it('refuses uploads that would not serve, naming the field', async () => {
    const refused = (body: object) =>
      put(body).catch((e: { status: number; fields: unknown }) => e);
    expect(await refused({ name: 'shop', pem: 'not pem' })).toMatchObject({
      status: 400,
      fields: [
        { path: 'pem', message: expect.stringMatching(/no PEM certificate/) },
        { path: 'pem', message: expect.stringMatching(/no private key/) },
      ],
    });
    expect(
      await refused({ name: 'shop', pem: first.leaf + first.intermediate, key: second.leafKey }),
    ).toMatchObject({
      fields: [{ path: 'key', message: expect.stringMatching(/does not match/) }],
    });
    expect(
      await refused({ name: 'shop', pem: first.intermediate + first.leaf + first.leafKey }),
    ).toMatchObject({ fields: [{ path: 'pem', message: expect.stringMatching(/comes first/) }] });
    const p12 = first.pkcs12.toString('base64');
    expect(await refused({ name: 'shop', pkcs12: p12, password: 'wrong' })).toMatchObject({
      fields: [{ path: 'password' }],
    });
    expect(await refused({ name: 'shop', pem: 'x'.repeat(200_001) })).toMatchObject({
      fields: [{ path: 'pem', message: 'must be at most 200000 characters' }],
    });
    expect(await refused({ name: '../etc/passwd', pem: first.leaf })).toMatchObject({
      fields: [{ path: 'name' }],
    });
    expect(await agent.api.get('/v1/certificates')).toEqual([]);
  });

  it('refuses a service naming a certificate the unit does not have, dry run included', async () => {
    const { desired } = await agent.api.get<StatusResponse>('/v1/status');
    const params = {
      name: 'shop',
      address: '127.0.0.1',
      httpsPort: port,
      httpPort: await freePort(),
      certificate: 'shop',
      servers: [{ address: '127.0.0.1', port: backend.port }],
    };
    for (const dry of ['?dryRun=true', '']) {
      const e = await agent.api
        .send('POST', `/v1/services${dry}`, { base: desired, template: 'https-offload', params })
        .catch((x: { status: number; fields: unknown }) => x);
      expect(e).toMatchObject({
        status: 400,
        fields: [
          {
            path: 'config.services[0].tls.certificate',
            message: 'no certificate named shop is stored (Settings → Certificates)',
          },
        ],
      });
    }
    // Stored from PKCS#12 (its chain in order), then the same service is taken and served.
    const stored = await put({
      name: 'shop',
      pkcs12: first.pkcs12.toString('base64'),
      password: first.password,
    });
    expect(stored).toMatchObject({
      applied: 'stored',
      certificate: { name: 'shop', subject: 'CN=shop.test', chain: 1, usedBy: [] },
    });
    await addService(agent, 'https-offload', params);
    await agent.api.send('POST', '/v1/apply', {});
    expect(await servedFingerprint(port, 'shop.test')).toBe(stored.certificate.fingerprint);
    const [listed] = await agent.api.get<StoredCertificate[]>('/v1/certificates');
    expect(listed).toMatchObject({ name: 'shop', usedBy: ['shop'], names: 'DNS:shop.test' });
    // In use: not removed.
    await expect(agent.api.send('DELETE', '/v1/certificates/shop', {})).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/used by shop/),
    });
  });

  it('replaces a certificate in use live: no reload, no failed request, the new one served', async () => {
    const master = (c: string) => unixCommand(join(agent.stateDir, 'run/master.sock'), c);
    const before = await master('show proc');
    const old = await agent.api.get<StoredCertificate>('/v1/certificates/shop');
    const results: (number | string)[] = [];
    let replaced = false;
    // New connections all along, bounded: until 100 requests after the replacement, at most 3,000.
    const load = (async () => {
      let after = 0;
      while (after < 100 && results.length < 3_000) {
        results.push(await httpsOnce(port, 'shop.test'));
        if (replaced) after++;
      }
    })();
    while (results.length < 50) await new Promise((r) => setImmediate(r));
    const taken = await put({
      name: 'shop',
      pem: second.leaf + second.intermediate + second.leafKey,
      replace: true,
    });
    replaced = true;
    await load;
    expect(taken.applied).toBe('live');
    expect(results.filter((r) => r !== 200)).toEqual([]);
    expect(await servedFingerprint(port, 'shop.test')).toBe(taken.certificate.fingerprint);
    expect(taken.certificate.fingerprint).not.toBe(old.fingerprint);
    // The same HAProxy worker: the current one (0 reloads old) has the same PID as before.
    const current = (t: string) => /^(\d+)\s+worker\s+0\s/m.exec(t)?.[1];
    expect(current(before)).toMatch(/^\d+$/);
    expect(current(await master('show proc'))).toBe(current(before));
    // Persisted: the file holds the new certificate for the next start.
    const file = await readFile(join(agent.stateDir, 'certs/shop.pem'), 'utf8');
    expect(file).toBe(second.leaf + second.intermediate + second.leafKey);
  }, 90_000);

  it('lists, adds from files, replaces and removes with tandemctl', async () => {
    const op = join(agent.stateDir, 'agent.sock');
    const files = { p12: join(agent.stateDir, 'next.p12'), pem: join(agent.stateDir, 'next.pem') };
    await writeFile(files.p12, second.pkcs12);
    await writeFile(files.pem, first.leaf + first.intermediate + first.leafKey);
    expect((await tandemctl(op, ['cert', 'list'])).out).toMatch(
      /^shop\s+DNS:shop\.test\s+\d{4}-\d\d-\d\d\s+shop$/m,
    );
    // PKCS#12 with its password on stdin (never an argument).
    const added = await tandemctl(
      op,
      ['cert', 'add', 'spare', files.p12, '--password-stdin'],
      `${second.password}\n`,
    );
    expect(added).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^spare: DNS:shop\.test, until /),
    });
    const wrong = await tandemctl(
      op,
      ['cert', 'add', 'other', files.p12, '--password-stdin'],
      'no\n',
    );
    expect(wrong.code).toBe(1);
    expect(wrong.out).toMatch(/password: is not the password of this PKCS#12 file/);
    // Replacing the one in use: served now, no reload.
    expect((await tandemctl(op, ['cert', 'replace', 'shop', files.pem])).out).toMatch(
      /served now, no reload/,
    );
    expect((await tandemctl(op, ['cert', 'rm', 'shop'])).code).toBe(1);
    expect(await tandemctl(op, ['cert', 'rm', 'spare'])).toMatchObject({
      code: 0,
      out: 'removed spare\n',
    });
  });

  it('presents several certificates on one bind, chosen by the name the client asks for', async () => {
    const api = await makeTestChain(['api.test']);
    const stored = await put({ name: 'api', pem: api.leaf + api.intermediate + api.leafKey });
    const shop = await agent.api.get<StoredCertificate>('/v1/certificates/shop');
    const current = await agent.api.get<{ generation: number; config: ApplianceConfigInput }>(
      '/v1/config',
    );
    const withSni = (names: string[]): ApplianceConfigInput => ({
      ...current.config,
      services: (current.config.services ?? []).map((svc) =>
        svc.name === 'shop' && svc.tls
          ? { ...svc, tls: { ...svc.tls, sniCertificates: names } }
          : svc,
      ),
    });
    const put2 = (names: string[]) =>
      agent.api.send('PUT', '/v1/config', {
        base: current.generation,
        config: withSni(names),
        message: 'sni',
      });
    await expect(put2(['api', 'nope'])).rejects.toMatchObject({
      status: 400,
      fields: [
        {
          path: 'config.services[0].tls.sniCertificates[1]',
          message: 'no certificate named nope is stored (Settings → Certificates)',
        },
      ],
    });
    await expect(put2(['shop'])).rejects.toMatchObject({
      fields: [{ path: 'config.services[0].tls.sniCertificates' }],
    });
    await put2(['api']);
    await agent.api.send('POST', '/v1/apply', {});
    expect(await servedFingerprint(port, 'api.test')).toBe(stored.certificate.fingerprint);
    expect(await servedFingerprint(port, 'shop.test')).toBe(shop.fingerprint);
    // A name neither covers: the main certificate.
    expect(await servedFingerprint(port, 'other.test')).toBe(shop.fingerprint);
    expect((await agent.api.get<StoredCertificate>('/v1/certificates/api')).usedBy).toEqual([
      'shop',
    ]);
    // The SNI certificate in use is replaced live like the main one.
    const next = await makeTestChain(['api.test']);
    const replaced = await put({
      name: 'api',
      pem: next.leaf + next.intermediate + next.leafKey,
      replace: true,
    });
    expect(replaced.applied).toBe('live');
    expect(await servedFingerprint(port, 'api.test')).toBe(replaced.certificate.fingerprint);
  });

  it('tells a webhook of a certificate near its end, and sends a test on request', async () => {
    const receiver = await startWebhookReceiver();
    const got = receiver.got;
    try {
      await expect(
        agent.api.send('PUT', '/v1/notifications', {
          webhooks: [{ name: 'ops', url: 'gopher://x', kinds: ['certificate'] }],
        }),
      ).rejects.toMatchObject({ status: 400, fields: [{ path: 'webhooks[0].url' }] });
      await agent.api.send('PUT', '/v1/notifications', {
        webhooks: [{ name: 'ops', url: receiver.url, kinds: ['certificate'] }],
      });
      expect(await agent.api.send('POST', '/v1/notifications/ops/test', {})).toEqual({
        delivered: true,
      });
      const soon = await makeTestChain(['soon.test'], 10);
      await put({ name: 'soon', pem: soon.leaf + soon.intermediate + soon.leafKey });
      // The delivery runs in the background: wait for what the receiver says it got.
      for (let i = 0; i < 200 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
      expect(got).toEqual([
        {
          unit: expect.any(String),
          event: expect.objectContaining({ message: expect.stringMatching(/^a test from /) }),
        },
        {
          unit: expect.any(String),
          event: expect.objectContaining({
            kind: 'certificate',
            severity: 'warning',
            message: expect.stringMatching(/^certificate soon expires in \d+ days/),
          }),
        },
      ]);
    } finally {
      await receiver.close();
    }
  });
});
