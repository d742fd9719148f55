import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { TandemError, type CertificateInfo, type FieldError } from '@tandem/core';

/** A certificate with its chain and key, checked: what HAProxy's `crt` file holds. */
export interface CertificateBundle {
  /** The server certificate first, then each issuer in turn. */
  certificates: X509Certificate[];
  /** PEM: the certificates in that order, then the key (HAProxy's one-file form). */
  pem: string;
  /** The same, apart: the certificates (in order), and the key. */
  certPem: string;
  keyPem: string;
}

const BLOCK_RE = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n]+?)-----END \1-----/g;
const bad = (message: string, fields: FieldError[]) =>
  new TandemError('bad_request', message, fields);
const when = (d: string) => new Date(d).toISOString().slice(0, 10);

/** The PEM blocks of a text, by kind, in order; anything else between them is ignored. */
function blocks(text: string): { kind: string; pem: string }[] {
  return [...text.matchAll(BLOCK_RE)].map((m) => ({
    kind: m[1] ?? '',
    pem: `-----BEGIN ${m[1]}-----\n${(m[2] ?? '').replace(/\r/g, '')}-----END ${m[1]}-----\n`,
  }));
}

/**
 * Certificates and a key in PEM (one text or several) checked the way HAProxy and clients will
 * meet them, each problem named by its field: there is a certificate and one unencrypted key,
 * each parses, the key is the first certificate's, each next certificate issued the one before
 * (the server certificate first, then its chain), and the server certificate is not expired.
 * `certField`/`keyField` name where each part came from in the request.
 */
export function parseCertificateBundle(
  texts: { certs: string; key?: string },
  now: number,
  certField = 'pem',
  keyField = 'key',
): CertificateBundle {
  const all = [...blocks(texts.certs), ...blocks(texts.key ?? '')];
  const certPems = all.filter((b) => b.kind === 'CERTIFICATE').map((b) => b.pem);
  const keyBlocks = all.filter((b) => b.kind.endsWith('PRIVATE KEY'));
  const keyAt = texts.key !== undefined ? keyField : certField;
  // Both named at once when both are missing: the form shows each under its field.
  const missing: FieldError[] = [
    ...(certPems.length === 0
      ? [{ path: certField, message: 'has no PEM certificate (-----BEGIN CERTIFICATE-----)' }]
      : []),
    ...(keyBlocks.length === 0
      ? [{ path: keyAt, message: 'has no private key: add it to the PEM or give it apart' }]
      : []),
  ];
  if (missing.length > 0) throw bad('not a certificate with its key', missing);
  if (keyBlocks.length > 1)
    throw bad('more than one private key', [{ path: keyAt, message: 'has more than one key' }]);
  const keyBlock = keyBlocks[0] ?? { kind: '', pem: '' };
  if (keyBlock.kind === 'ENCRYPTED PRIVATE KEY')
    throw bad('the key is encrypted', [
      { path: keyAt, message: 'is encrypted: give it unencrypted (HAProxy starts unattended)' },
    ]);
  const certificates = certPems.map((pem, i) => {
    try {
      return new X509Certificate(pem);
    } catch {
      throw bad('a certificate does not parse', [
        { path: certField, message: `certificate ${i + 1} cannot be read as X.509` },
      ]);
    }
  });
  let key: KeyObject;
  try {
    key = createPrivateKey(keyBlock.pem);
  } catch {
    throw bad('the key does not parse', [
      { path: keyAt, message: 'cannot be read as a private key' },
    ]);
  }
  const leaf = certificates[0] as X509Certificate;
  if (!leaf.checkPrivateKey(key)) {
    const owner = certificates.findIndex((c) => c.checkPrivateKey(key));
    throw bad(
      owner > 0 ? 'the server certificate is not first' : 'the key is not the certificate’s',
      [
        owner > 0
          ? {
              path: certField,
              message: `certificate ${owner + 1} is the key's: the server certificate comes first, then its chain`,
            }
          : { path: keyAt, message: "does not match the certificate's public key" },
      ],
    );
  }
  certificates.slice(1).forEach((issuer, i) => {
    const child = certificates[i] as X509Certificate;
    if (!child.checkIssued(issuer) || !child.verify(issuer.publicKey))
      throw bad('the chain is out of order', [
        {
          path: certField,
          message: `certificate ${i + 2} did not issue certificate ${i + 1}: give the server certificate, then the one that issued it, and so on`,
        },
      ]);
  });
  if (new Date(leaf.validTo).getTime() <= now)
    throw bad('the certificate has expired', [
      { path: certField, message: `expired on ${when(leaf.validTo)}` },
    ]);
  const certPem = certPems.join('');
  return { certificates, pem: certPem + keyBlock.pem, certPem, keyPem: keyBlock.pem };
}

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
