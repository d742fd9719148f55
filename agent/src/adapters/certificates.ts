import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HostName } from '@tandem/core';
import { writeFileAtomic } from './atomicFiles.js';

const run = promisify(execFile);

/**
 * Makes a self-signed certificate + key as one PEM (the form HAProxy's `crt` takes). Used for a
 * unit's first start and for examples; users upload real certificates later.
 */
export async function createSelfSignedPem(path: string, commonName: string): Promise<void> {
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
      '825',
      '-subj',
      `/CN=${cn}`,
      '-addext',
      `subjectAltName=DNS:${cn}`,
    ]);
    const pem = (await readFile(cert, 'utf8')) + (await readFile(key, 'utf8'));
    await writeFileAtomic(path, pem, 0o600);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
