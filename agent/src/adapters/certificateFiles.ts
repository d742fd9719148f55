import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomicFiles.js';

/**
 * The console certificate's two files (`console.crt`, `console.key` in the console directory):
 * read, written atomically (key first), and granted to the console's group when it runs as its
 * own user (ADR 0013). The agent's umask (077) would otherwise decide their modes.
 */
export interface CertificateFiles {
  read(): Promise<{ cert: string; key: string } | null>;
  write(pair: { cert: string; key: string }): Promise<void>;
}

export function createCertificateFiles(dir: string, group: number | null): CertificateFiles {
  const certPath = join(dir, 'console.crt');
  const keyPath = join(dir, 'console.key');
  const grant = async () => {
    await chmod(dir, group === null ? 0o700 : 0o750);
    await chmod(keyPath, group === null ? 0o600 : 0o640);
    await chmod(certPath, 0o644);
    if (group !== null)
      for (const p of [dir, keyPath, certPath]) await chown(p, process.getuid?.() ?? 0, group);
  };
  return {
    async read() {
      if (!existsSync(certPath) || !existsSync(keyPath)) return null;
      await grant();
      return { cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8') };
    },
    async write(pair) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      // Key first: a console reloading between the two writes at worst fails one handshake.
      await writeFileAtomic(keyPath, pair.key, 0o600);
      await writeFileAtomic(certPath, pair.cert, 0o644);
      await grant();
    },
  };
}

/** In memory, for unit tests of the certificate service. */
export function createFakeCertificateFiles(initial: { cert: string; key: string } | null = null) {
  let pair = initial;
  const writes: { cert: string; key: string }[] = [];
  const files: CertificateFiles = {
    read: () => Promise.resolve(pair),
    write: (p) => {
      pair = p;
      writes.push(p);
      return Promise.resolve();
    },
  };
  return { files, writes };
}
