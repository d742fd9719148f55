import { join } from 'node:path';
import { fail, heal } from '@tandem/lab/faults';
import { down, holders, unitApi, up, waitFor } from '@tandem/lab/lab';
import {
  ADDR,
  defaultLab,
  LAB_DIST,
  labConfig,
  ns,
  type LabOptions,
  type UnitId,
} from '@tandem/lab/labSpec';
import { inNs, listNetns } from '@tandem/lab/netns';
import { run } from '@tandem/lab/run';
import {
  pebbleFiles,
  startPebble,
  type Pebble,
  type PebbleFiles,
} from '@tandem/agent/testing/pebble';
import type { AcmeStatus, CertificateStored, ClusterStatus, StoredCertificate } from '@tandem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Certificates in a pair (issue 18, ADR 0021), with a real ACME server (pebble) in the lab's
 * client namespace whose DNS answers every name with the VIP: the CA's HTTP-01 check reaches
 * whichever unit holds the VIP, so only that unit can issue, and the certificate travels.
 */
let files: PebbleFiles;
let pebble: Pebble | null = null;
const lab: LabOptions = { ...defaultLab(`tc${process.pid % 10_000}`), advertIntervalMs: 100 };
const api = (u: UnitId) => unitApi(lab, u);
const certificate = async (u: UnitId, name: string) =>
  (await api(u).get<StoredCertificate[]>('/v1/certificates')).find((c) => c.name === name);
/** What the VIP's HTTPS port presents for `servername`, as a client of the lab sees it. */
async function servedAtVip(servername: string): Promise<string> {
  const { stdout } = await run(
    inNs(ns(lab, 'client'), ['node', join(LAB_DIST, 'tlsProbe.js'), ADDR.vip, '443', servername]),
  );
  const r = JSON.parse(stdout) as { fingerprint?: string; error?: string };
  if (!r.fingerprint) throw new Error(`TLS at the VIP: ${r.error ?? stdout}`);
  return r.fingerprint;
}

beforeAll(async () => {
  files = await pebbleFiles(ADDR.client);
  // The agents trust pebble's HTTPS as they would a private CA's.
  lab.agentEnv = { NODE_EXTRA_CA_CERTS: files.caFile };
  await up(lab);
  pebble = await startPebble(80, { files, netns: ns(lab, 'client'), answer: ADDR.vip });
}, 180_000);
afterAll(async () => {
  await pebble?.stop();
  await down(lab);
  expect(await listNetns(`${lab.prefix}-`)).toEqual([]);
});

describe('certificates in a pair', () => {
  let issued: CertificateStored;

  it('issues on the VIP holder only, and the certificate and ACME settings reach the peer', async () => {
    expect(await holders(lab)).toEqual(['a']);
    await api('a').send('PUT', '/v1/acme', {
      directoryUrl: pebble?.directoryUrl,
      agreeTerms: true,
    });
    await waitFor('ACME settings on b', 30_000, async () => {
      const s = await api('b').get<AcmeStatus>('/v1/acme');
      return s.settings?.directoryUrl === pebble?.directoryUrl;
    });
    // b is the backup: the CA's check would reach a, so b says so instead of failing at the CA.
    await expect(
      api('b').send('POST', '/v1/acme/certificates', { name: 'shop', domains: ['shop.test'] }),
    ).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/lab-a, the master/) });
    issued = await api('a').send<CertificateStored>('POST', '/v1/acme/certificates', {
      name: 'shop',
      domains: ['shop.test'],
    });
    expect(issued.certificate.issuer).toMatch(/Pebble Intermediate/);
    await waitFor('the certificate on b', 30_000, async () => {
      return (await certificate('b', 'shop'))?.fingerprint === issued.certificate.fingerprint;
    });
    const onB = await api('b').get<AcmeStatus>('/v1/acme');
    expect(onB.certificates).toEqual([
      expect.objectContaining({ name: 'shop', elsewhere: expect.stringMatching(/lab-a/) }),
    ]);
  }, 120_000);

  it('serves it from both units, and a renewal on the holder reaches the peer', async () => {
    // An HTTPS service on the VIP with the certificate, applied on a and run by b.
    const current = await api('a').get<{ generation: number }>('/v1/config');
    const shared = labConfig(lab);
    await api('a').send('PUT', '/v1/config', {
      base: current.generation,
      config: {
        ...shared,
        services: [
          ...(shared.services ?? []),
          {
            ...shared.services?.[0],
            name: 'shop',
            binds: [{ vip: 'web', port: 443, tls: true }],
            tls: { certificate: 'shop' },
          },
        ],
      },
      message: 'shop over HTTPS',
    });
    const applied = await api('a').send<{ generation: number }>('POST', '/v1/apply', {});
    await waitFor('b runs the HTTPS service', 30_000, async () => {
      const s = await api('b').get<{ running: number | null }>('/v1/status');
      return s.running === applied.generation;
    });
    expect(await servedAtVip('shop.test')).toBe(issued.certificate.fingerprint);

    const renewed = await api('a').send<CertificateStored>(
      'POST',
      '/v1/acme/certificates/shop/renew',
      {},
    );
    expect(renewed.applied).toBe('live');
    expect(renewed.certificate.fingerprint).not.toBe(issued.certificate.fingerprint);
    await waitFor('the renewed certificate on b', 30_000, async () => {
      return (await certificate('b', 'shop'))?.fingerprint === renewed.certificate.fingerprint;
    });
    // The Cluster page's readiness view: both units' fingerprints, the same.
    await waitFor('a sees the same certificate on b', 30_000, async () => {
      const s = await api('a').get<ClusterStatus>('/v1/cluster');
      return s.pairing?.certificates.find((c) => c.name === 'shop')?.same === true;
    });
    const view = (await api('a').get<ClusterStatus>('/v1/cluster')).pairing?.certificates;
    expect(view).toEqual([
      {
        name: 'shop',
        here: {
          fingerprint: renewed.certificate.fingerprint,
          notAfter: renewed.certificate.notAfter,
        },
        peer: {
          fingerprint: renewed.certificate.fingerprint,
          notAfter: renewed.certificate.notAfter,
        },
        same: true,
      },
    ]);

    // a goes away: b holds the VIP and serves the renewed certificate (taken live, no apply).
    await fail(lab, 'a', 'link');
    await waitFor('b holds the VIP', 30_000, async () => (await holders(lab)).includes('b'));
    expect(await servedAtVip('shop.test')).toBe(renewed.certificate.fingerprint);
    // Now b is the holder: the CA's check reaches b, and b renews.
    const onB = await api('b').send<CertificateStored>(
      'POST',
      '/v1/acme/certificates/shop/renew',
      {},
    );
    expect(onB.applied).toBe('live');
    expect(await servedAtVip('shop.test')).toBe(onB.certificate.fingerprint);
    await heal(lab, 'a');
    await waitFor('the certificate renewed on b reaches a', 60_000, async () => {
      return (await certificate('a', 'shop'))?.fingerprint === onB.certificate.fingerprint;
    });
  }, 180_000);
});
