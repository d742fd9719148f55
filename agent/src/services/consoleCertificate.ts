import { X509Certificate, createPrivateKey } from 'node:crypto';
import { TandemError, type CertificateInfo } from '@tandem/core';
import type { CertificateFiles } from '../adapters/certificateFiles.js';

const CHAIN_RE =
  /^(?:-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\s*)+$/;
const KEY_RE =
  /^-----BEGIN (?:EC |RSA )?PRIVATE KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END (?:EC |RSA )?PRIVATE KEY-----\s*$/;

/** A distinguished name as RFC 2253 writes it (most specific last becomes first). */
const rfc2253 = (dn: string) => dn.split('\n').filter(Boolean).reverse().join(',');

/** What the Settings page shows of a certificate, read with Node's own X.509 parser. */
export function describeCertificate(pem: string): CertificateInfo {
  const x = new X509Certificate(pem);
  const subject = rfc2253(x.subject);
  const issuer = rfc2253(x.issuer);
  return {
    subject,
    issuer,
    notAfter: new Date(x.validTo).toISOString(),
    names: x.subjectAltName ?? '',
    selfSigned: subject === issuer,
  };
}

/**
 * The console's HTTPS certificate, owned by the agent (the console server only reads the files
 * and reloads them when they change): self-signed at first start, replaceable by an upload that
 * must parse, match its key and not be expired. The files are behind an adapter (written
 * atomically, granted to the console's group); parsing is in-process, no shell.
 */
export function createConsoleCertificate(o: {
  files: CertificateFiles;
  hostName: string;
  /** Makes the first self-signed pair (openssl, an adapter). */
  selfSigned: (host: string) => Promise<{ cert: string; key: string }>;
  now?: () => number;
}) {
  const now = o.now ?? Date.now;
  const current = async () => {
    const pair = await o.files.read();
    if (!pair) throw new TandemError('not_found', 'the console has no certificate yet');
    return pair;
  };
  return {
    async ensure(): Promise<void> {
      if (await o.files.read()) return;
      const host = /^[A-Za-z0-9.-]{1,63}$/.test(o.hostName) ? o.hostName : 'tandem';
      await o.files.write(await o.selfSigned(host));
    },
    info: async () => describeCertificate((await current()).cert),
    async install(body: unknown): Promise<CertificateInfo> {
      const b = (body ?? {}) as { certificate?: unknown; key?: unknown };
      const cert =
        typeof b.certificate === 'string' && b.certificate.length < 64_000
          ? b.certificate.trim() + '\n'
          : '';
      const key = typeof b.key === 'string' && b.key.length < 16_000 ? b.key.trim() + '\n' : '';
      const fields = [
        ...(CHAIN_RE.test(cert)
          ? []
          : [
              {
                path: 'certificate',
                message: 'must be PEM certificates (the server certificate first, then its chain)',
              },
            ]),
        ...(KEY_RE.test(key)
          ? []
          : [{ path: 'key', message: 'must be an unencrypted PEM private key' }]),
      ];
      if (fields.length > 0)
        throw new TandemError('bad_request', 'the certificate or key is not PEM', fields);
      let x: X509Certificate;
      try {
        x = new X509Certificate(cert);
      } catch {
        throw new TandemError('bad_request', 'the certificate does not parse', [
          { path: 'certificate', message: 'cannot be read as X.509' },
        ]);
      }
      let privateKey: ReturnType<typeof createPrivateKey>;
      try {
        privateKey = createPrivateKey(key);
      } catch {
        throw new TandemError('bad_request', 'the key does not parse', [
          { path: 'key', message: 'cannot be read as a private key' },
        ]);
      }
      if (!x.checkPrivateKey(privateKey))
        throw new TandemError('bad_request', 'the key does not belong to the certificate', [
          { path: 'key', message: "does not match the certificate's public key" },
        ]);
      if (new Date(x.validTo).getTime() <= now())
        throw new TandemError('bad_request', 'the certificate has expired', [
          { path: 'certificate', message: 'expired' },
        ]);
      await o.files.write({ cert, key });
      return describeCertificate(cert);
    },
  };
}
export type ConsoleCertificate = ReturnType<typeof createConsoleCertificate>;
