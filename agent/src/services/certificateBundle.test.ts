import { X509Certificate } from 'node:crypto';
import { TandemError } from '@tandem/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { pkcs12ToPem, Pkcs12Error } from '../adapters/certificates.js';
import { makeTestChain, type TestChain } from '../testing/testCertificates.js';
import { parseCertificateBundle } from './certificateBundle.js';

let c: TestChain;
let other: TestChain;
const now = Date.now();
beforeAll(async () => {
  [c, other] = await Promise.all([
    makeTestChain(['shop.test', 'www.shop.test']),
    makeTestChain(['other.test']),
  ]);
}, 30_000);

/** The field errors a bad bundle is refused with. */
function refusal(f: () => unknown) {
  try {
    f();
  } catch (e) {
    if (e instanceof TandemError) return e.fields;
    throw e;
  }
  throw new Error('accepted');
}

describe('certificate bundles', () => {
  it('takes a server certificate, its chain and its key, in one text or with the key apart', () => {
    const one = parseCertificateBundle({ certs: c.leaf + c.intermediate + c.leafKey }, now);
    expect(one.certificates.map((x) => x.subject)).toEqual([
      'CN=shop.test',
      'CN=Tandem Test Intermediate',
    ]);
    expect(one.pem).toBe(c.leaf + c.intermediate + c.leafKey);
    const apart = parseCertificateBundle({ certs: c.leaf + c.intermediate, key: c.leafKey }, now);
    expect(apart.pem).toBe(one.pem);
    // Windows line ends and text around the blocks (as openssl's -text prints) are fine.
    const messy = `Bag Attributes\r\n${(c.leaf + c.leafKey).replace(/\n/g, '\r\n')}`;
    expect(new X509Certificate(parseCertificateBundle({ certs: messy }, now).pem).subject).toBe(
      'CN=shop.test',
    );
  });

  it('names what is wrong: not PEM, no key, a stranger key, the chain upside down, expired', () => {
    expect(refusal(() => parseCertificateBundle({ certs: 'hello', key: 'x' }, now))).toEqual([
      { path: 'pem', message: 'has no PEM certificate (-----BEGIN CERTIFICATE-----)' },
      { path: 'key', message: 'has no private key: add it to the PEM or give it apart' },
    ]);
    expect(refusal(() => parseCertificateBundle({ certs: c.leaf }, now))[0]?.message).toMatch(
      /has no private key/,
    );
    expect(
      refusal(() => parseCertificateBundle({ certs: c.leaf, key: other.leafKey }, now)),
    ).toEqual([{ path: 'key', message: "does not match the certificate's public key" }]);
    expect(
      refusal(() =>
        parseCertificateBundle({ certs: c.intermediate + c.leaf, key: c.leafKey }, now),
      ),
    ).toEqual([
      {
        path: 'pem',
        message: "certificate 2 is the key's: the server certificate comes first, then its chain",
      },
    ]);
    expect(
      refusal(() => parseCertificateBundle({ certs: c.leaf + c.root, key: c.leafKey }, now))[0]
        ?.message,
    ).toMatch(/^certificate 2 did not issue certificate 1/);
    const broken = c.leaf.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA');
    expect(refusal(() => parseCertificateBundle({ certs: broken, key: c.leafKey }, now))).toEqual([
      { path: 'pem', message: 'certificate 1 cannot be read as X.509' },
    ]);
    const later = new Date(new X509Certificate(c.leaf).validTo).getTime() + 1;
    expect(
      refusal(() => parseCertificateBundle({ certs: c.leaf, key: c.leafKey }, later))[0]?.message,
    ).toMatch(/^expired on \d{4}-\d{2}-\d{2}$/);
    const encrypted =
      '-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n';
    expect(
      refusal(() => parseCertificateBundle({ certs: c.leaf, key: encrypted }, now))[0],
    ).toMatchObject({
      path: 'key',
      message: expect.stringMatching(/^is encrypted/),
    });
  });

  it('reads PKCS#12 with its password, and says which was wrong: the password or the file', async () => {
    const pem = await pkcs12ToPem(c.pkcs12, c.password);
    const b = parseCertificateBundle({ certs: pem }, now);
    expect(b.certificates[0]?.subject).toBe('CN=shop.test');
    await expect(pkcs12ToPem(c.pkcs12, 'not it')).rejects.toMatchObject({ reason: 'password' });
    await expect(pkcs12ToPem(Buffer.from('not a p12 file'), '')).rejects.toBeInstanceOf(
      Pkcs12Error,
    );
    await expect(pkcs12ToPem(Buffer.from('not a p12 file'), '')).rejects.toMatchObject({
      reason: 'file',
    });
  });
});
