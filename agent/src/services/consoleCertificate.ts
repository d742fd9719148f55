import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TandemError, type CertificateInfo } from '@tandem/core';
import { writeFileAtomic } from '../adapters/atomicFiles.js';
import { createSelfSignedPair } from '../adapters/certificates.js';

const run = promisify(execFile);
const CHAIN_RE =
  /^(?:-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\s*)+$/;
const KEY_RE =
  /^-----BEGIN (?:EC |RSA )?PRIVATE KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END (?:EC |RSA )?PRIVATE KEY-----\s*$/;

/**
 * The console's HTTPS certificate, owned by the agent (the console server only reads the files
 * and reloads them when they change): self-signed at first start, replaceable by an upload that
 * must parse, match its key and not be expired. Written atomically; the key is readable by the
 * agent and, when it runs as its own user, the console server's group, nobody else.
 */
export function createConsoleCertificate(o: {
  dir: string;
  hostName: string;
  group?: number | null;
}) {
  const certPath = join(o.dir, 'console.crt');
  const keyPath = join(o.dir, 'console.key');
  const group = o.group ?? null;
  // Modes set after every write: the agent's umask (077) would otherwise decide them.
  const grant = async () => {
    await chmod(o.dir, group === null ? 0o700 : 0o750);
    await chmod(keyPath, group === null ? 0o600 : 0o640);
    await chmod(certPath, 0o644);
    if (group !== null)
      for (const p of [o.dir, keyPath, certPath]) await chown(p, process.getuid?.() ?? 0, group);
  };
  const openssl = async (args: string[]) =>
    (await run('openssl', args, { timeout: 10_000 })).stdout.trim();
  const info = async (path: string): Promise<CertificateInfo> => {
    const subject = await openssl([
      'x509',
      '-in',
      path,
      '-noout',
      '-subject',
      '-nameopt',
      'RFC2253',
    ]);
    const issuer = await openssl(['x509', '-in', path, '-noout', '-issuer', '-nameopt', 'RFC2253']);
    const end = await openssl(['x509', '-in', path, '-noout', '-enddate']);
    const names = await openssl(['x509', '-in', path, '-noout', '-ext', 'subjectAltName']).catch(
      () => '',
    );
    const s = subject.replace(/^subject=\s*/, '');
    const i = issuer.replace(/^issuer=\s*/, '');
    return {
      subject: s,
      issuer: i,
      notAfter: new Date(end.replace(/^notAfter=/, '')).toISOString(),
      names: names.split('\n').slice(1).join(' ').trim(),
      selfSigned: s === i,
    };
  };
  return {
    async ensure(): Promise<void> {
      if (!existsSync(certPath) || !existsSync(keyPath)) {
        await mkdir(o.dir, { recursive: true, mode: 0o700 });
        const host = /^[A-Za-z0-9.-]{1,63}$/.test(o.hostName) ? o.hostName : 'tandem';
        const pair = await createSelfSignedPair(host, ['DNS:localhost', 'IP:127.0.0.1'], 3650);
        await writeFileAtomic(keyPath, pair.key, 0o600);
        await writeFileAtomic(certPath, pair.cert, 0o644);
      }
      await grant();
    },
    info: () => info(certPath),
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
      const tmp = await mkdtemp(join(tmpdir(), 'tandem-upload-'));
      try {
        const c = join(tmp, 'cert.pem');
        const k = join(tmp, 'key.pem');
        await writeFile(c, cert, { mode: 0o600 });
        await writeFile(k, key, { mode: 0o600 });
        const certKey = await openssl(['x509', '-in', c, '-noout', '-pubkey']).catch(() => null);
        if (certKey === null)
          throw new TandemError('bad_request', 'the certificate does not parse', [
            { path: 'certificate', message: 'openssl cannot read it' },
          ]);
        const keyKey = await openssl(['pkey', '-in', k, '-pubout']).catch(() => null);
        if (keyKey === null)
          throw new TandemError('bad_request', 'the key does not parse', [
            { path: 'key', message: 'openssl cannot read it' },
          ]);
        if (certKey !== keyKey)
          throw new TandemError('bad_request', 'the key does not belong to the certificate', [
            { path: 'key', message: "does not match the certificate's public key" },
          ]);
        const valid = await run('openssl', ['x509', '-in', c, '-noout', '-checkend', '0']).then(
          () => true,
          () => false,
        );
        if (!valid)
          throw new TandemError('bad_request', 'the certificate has expired', [
            { path: 'certificate', message: 'expired' },
          ]);
        // Key first: a console reloading between the two writes at worst fails one handshake.
        await writeFileAtomic(keyPath, key, 0o600);
        await writeFileAtomic(certPath, cert, 0o644);
        await grant();
        return await info(certPath);
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    },
  };
}
export type ConsoleCertificate = ReturnType<typeof createConsoleCertificate>;
