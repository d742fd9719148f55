import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomicFiles.js';
import { createSelfSignedPair } from './certificates.js';

/**
 * The unit's identity (ADR 0015): a key pair and a self-signed certificate made at first start,
 * kept in the state directory (so restarts and upgrades keep it), and known to the peer by the
 * SHA-256 fingerprint of the certificate, pinned at pairing. Names in it mean nothing: a unit is
 * its key.
 */
export interface UnitIdentity {
  cert: string;
  key: string;
  /** SHA-256 of the certificate (DER), lowercase hex without separators. */
  fingerprint: string;
  notAfter: string;
}

/** The fingerprint of a PEM certificate, as pinned; throws on anything that is not one. */
export function certificateFingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256.replaceAll(':', '').toLowerCase();
}

/** The short form people compare by eye: the first 16 hex digits in groups of four. */
export function shortFingerprint(fingerprint: string): string {
  return (fingerprint.slice(0, 16).match(/.{4}/g) ?? []).join(' ');
}

/** An identity certificate outlives any unit (a hundred years): it is pinned, not trusted by date. */
const IDENTITY_DAYS = 36_500;

export async function loadOrCreateIdentity(
  dir: string,
  create: () => Promise<{ cert: string; key: string }> = () =>
    createSelfSignedPair('tandem-unit', [], IDENTITY_DAYS),
): Promise<UnitIdentity> {
  const certPath = join(dir, 'identity.crt');
  const keyPath = join(dir, 'identity.key');
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const pair = await create();
    // Key first: a crash between the two leaves no certificate without its key (made again).
    await writeFileAtomic(keyPath, pair.key, 0o600);
    await writeFileAtomic(certPath, pair.cert, 0o644);
  }
  const cert = await readFile(certPath, 'utf8');
  const x509 = new X509Certificate(cert);
  return {
    cert,
    key: await readFile(keyPath, 'utf8'),
    fingerprint: certificateFingerprint(cert),
    notAfter: new Date(x509.validTo).toISOString(),
  };
}
