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
