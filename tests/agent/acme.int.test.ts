import { connect as tlsConnect } from 'node:tls';
import type { AgentHandle } from '@tandem/agent/testing/agentProcess';
import { namedBackend } from '@tandem/agent/testing/agentProcess';
import type { AcmeStatus, CertificateStored, EventRow } from '@tandem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyRuntimes, startAgentOn } from '../support/haproxyRuntimes.js';
import { startPebble, type Pebble } from '@tandem/agent/testing/pebble';
import { freePort } from '../support/ports.js';
import { addService } from '../support/serviceEdits.js';

/** The certificate HAProxy presents on `port` for `servername`: fingerprint and issuer. */
function served(
  port: number,
  servername: string,
): Promise<{ fingerprint: string; issuer: string }> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false }, () => {
      const c = s.getPeerCertificate();
      resolve({ fingerprint: c.fingerprint256, issuer: c.issuer.CN ?? '' });
      s.end();
    });
    s.on('error', reject);
  });
}

/**
 * ACME end to end against a real ACME server (Debian's pebble, started here on loopback): the
 * unit's own HAProxy answers the HTTP-01 challenge on its plain HTTP port, the issued
 * certificate is stored and served by an HTTPS service, and a renewal is served live.
 */
describe.each(haproxyRuntimes())('ACME with pebble ($label)', (rt) => {
  let agent: AgentHandle;
  let cleanup: () => Promise<void>;
  let pebble: Pebble;
  let backend: Awaited<ReturnType<typeof namedBackend>>;
  let httpPort: number;

  beforeAll(async () => {
    httpPort = await freePort();
    pebble = await startPebble(httpPort);
    backend = await namedBackend('site');
    // The agent trusts pebble's own HTTPS as it would a private CA's.
    ({ agent, cleanup } = await startAgentOn(rt, 'acme', await freePort(), {
      NODE_EXTRA_CA_CERTS: pebble.caFile,
    }));
  }, 60_000);
  afterAll(async () => {
    await agent?.stop();
    await pebble?.stop();
    backend?.server.close();
    await cleanup?.();
  });

  it('refuses settings without the terms agreed, and issuing before settings', async () => {
    await expect(
      agent.api.send('POST', '/v1/acme/certificates', { name: 'shop', domains: ['shop.test'] }),
    ).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/not set up/) });
    await expect(
      agent.api.send('PUT', '/v1/acme', { directoryUrl: 'http://plain/dir', agreeTerms: false }),
    ).rejects.toMatchObject({
      status: 400,
      fields: [
        { path: 'directoryUrl', message: 'must be the https:// URL of an ACME directory' },
        { path: 'agreeTerms', message: "must be true: the CA's terms have to be agreed" },
      ],
    });
  });

  it('issues through HTTP-01 answered by HAProxy, serves it, and renews it live', async () => {
    await agent.api.send('PUT', '/v1/acme', {
      directoryUrl: pebble.directoryUrl,
      email: 'ops@shop.test',
      agreeTerms: true,
    });
    // Port 80 of the unit, as the CA reaches it: an HTTP service, applied now that ACME is set
    // up (a unit with ACME renders the challenge responder in its HTTP frontends).
    await addService(agent, 'http-load-balancing', {
      name: 'site',
      port: httpPort,
      servers: [{ address: '127.0.0.1', port: backend.port }],
    });
    await agent.api.send('POST', '/v1/apply', {});
    const issued = await agent.api.send<CertificateStored>('POST', '/v1/acme/certificates', {
      name: 'shop',
      domains: ['shop.test', 'www.shop.test'],
    });
    expect(issued.certificate).toMatchObject({
      name: 'shop',
      names: 'DNS:shop.test, DNS:www.shop.test',
      issuer: expect.stringMatching(/Pebble Intermediate/),
    });
    // An HTTPS service picks the issued certificate and serves it.
    const httpsPort = await freePort();
    await addService(agent, 'https-offload', {
      name: 'shop',
      httpsPort,
      httpPort: await freePort(),
      certificate: 'shop',
      servers: [{ address: '127.0.0.1', port: backend.port }],
    });
    await agent.api.send('POST', '/v1/apply', {});
    expect(await served(httpsPort, 'shop.test')).toEqual({
      fingerprint: issued.certificate.fingerprint,
      issuer: expect.stringMatching(/Pebble Intermediate/),
    });
    // Renewed on request (the renewal loop does the same when due): served at once, no reload.
    const renewed = await agent.api.send<CertificateStored>(
      'POST',
      '/v1/acme/certificates/shop/renew',
      {},
    );
    expect(renewed.applied).toBe('live');
    expect(renewed.certificate.fingerprint).not.toBe(issued.certificate.fingerprint);
    expect((await served(httpsPort, 'shop.test')).fingerprint).toBe(
      renewed.certificate.fingerprint,
    );
    const status = await agent.api.get<AcmeStatus>('/v1/acme');
    expect(status.certificates).toEqual([
      expect.objectContaining({ name: 'shop', lastError: null, nextAttempt: null }),
    ]);
    const events = await agent.api.get<{ items: EventRow[] }>('/v1/events?kind=certificate');
    expect(events.items.map((e) => e.message)).toContainEqual(
      expect.stringMatching(/^certificate shop issued by ACME for shop\.test, www\.shop\.test/),
    );
  }, 120_000);

  it('says why an issuance failed, as an error and an event, and when it tries again', async () => {
    await agent.api.send('PUT', '/v1/acme', {
      directoryUrl: `https://127.0.0.1:${await freePort()}/dir`,
      agreeTerms: true,
    });
    await expect(
      agent.api.send('POST', '/v1/acme/certificates', { name: 'down', domains: ['down.test'] }),
    ).rejects.toMatchObject({
      status: 502,
      message: expect.stringMatching(/^ACME could not issue down/),
    });
    const status = await agent.api.get<AcmeStatus>('/v1/acme');
    const down = status.certificates.find((c) => c.name === 'down');
    expect(down?.lastError).toMatch(/ECONNREFUSED/);
    expect(down?.nextAttempt).toBeGreaterThan(Date.now());
    const events = await agent.api.get<{ items: EventRow[] }>('/v1/events?kind=certificate');
    expect(events.items[0]).toMatchObject({ severity: 'error', subject: 'certificate down' });
  });
});
