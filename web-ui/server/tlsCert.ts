import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The console's certificate: `console.crt`/`console.key` in its directory, self-signed at first
 * start (openssl, argv only; EC P-256, 10 years, the host name and localhost as names) until the
 * user uploads one.
 */
export async function ensureCertificate(dir: string, hostName: string) {
  const cert = join(dir, 'console.crt');
  const key = join(dir, 'console.key');
  if (!existsSync(cert) || !existsSync(key)) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const safe = /^[A-Za-z0-9.-]{1,63}$/.test(hostName) ? hostName : 'tandem';
    await new Promise<void>((resolve, reject) =>
      execFile(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-keyout',
          key,
          '-out',
          cert,
          '-days',
          '3650',
          '-subj',
          `/CN=${safe}`,
          '-addext',
          `subjectAltName=DNS:${safe},DNS:localhost,IP:127.0.0.1`,
        ],
        (e) => (e ? reject(e) : resolve()),
      ),
    );
  }
  return { cert: await readFile(cert), key: await readFile(key) };
}
