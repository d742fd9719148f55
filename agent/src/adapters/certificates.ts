import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HostName } from '@tandem/core';
import { writeFileAtomic } from './atomicFiles.js';

const run = promisify(execFile);

/**
 * A self-signed EC P-256 certificate and its key (PEM), for a unit's first start: HAProxy's
 * example services and the console's HTTPS. Users upload real certificates later.
 */
export async function createSelfSignedPair(
  commonName: string,
  extraNames: readonly string[] = [],
  days = 825,
): Promise<{ cert: string; key: string }> {
  const cn = HostName.parse(commonName);
  const dir = await mkdtemp(join(tmpdir(), 'tandem-cert-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      String(days),
      '-subj',
      `/CN=${cn}`,
      '-addext',
      `subjectAltName=${[`DNS:${cn}`, ...extraNames].join(',')}`,
    ]);
    return { cert: await readFile(cert, 'utf8'), key: await readFile(key, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The pair as one PEM, the form HAProxy's `crt` takes. */
export async function createSelfSignedPem(path: string, commonName: string): Promise<void> {
  const { cert, key } = await createSelfSignedPair(commonName);
  await writeFileAtomic(path, cert + key, 0o600);
}

/** Why a PKCS#12 file was not read: its password, or the file itself. */
export class Pkcs12Error extends Error {
  constructor(readonly reason: 'password' | 'file') {
    super(reason === 'password' ? 'wrong PKCS#12 password' : 'not a PKCS#12 file');
  }
}

/**
 * A PKCS#12 file's certificates and key as PEM, by `openssl pkcs12` (every key type and cipher
 * OpenSSL knows; older files' RC2 through the legacy provider). The file goes in on stdin and the
 * password in the environment, never on the command line (`ps` shows arguments).
 */
export async function pkcs12ToPem(file: Buffer, password: string): Promise<string> {
  const attempt = (legacy: boolean) =>
    new Promise<{ code: number; out: string; err: string }>((resolve, reject) => {
      const child = execFile(
        'openssl',
        ['pkcs12', ...(legacy ? ['-legacy'] : []), '-nodes', '-passin', 'env:TANDEM_P12_PASSWORD'],
        { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TANDEM_P12_PASSWORD: password } },
        (error, stdout, stderr) => {
          const code = error ? Number((error as { code?: unknown }).code ?? 1) || 1 : 0;
          if (error && typeof (error as { code?: unknown }).code === 'string') reject(error);
          else resolve({ code, out: stdout, err: stderr });
        },
      );
      child.stdin?.end(file);
    });
  let r = await attempt(false);
  // OpenSSL 3 reads RC2/3DES-protected files (older Windows exports) only with -legacy.
  if (r.code !== 0 && /unsupported|RC2|legacy/i.test(r.err)) r = await attempt(true);
  if (r.code === 0) return r.out;
  throw new Pkcs12Error(
    /mac verify|invalid password|bad decrypt/i.test(r.err) ? 'password' : 'file',
  );
}
