import { TandemError, type CertificateInfo } from '@tandem/core';
import type { CertificateFiles } from '../adapters/certificateFiles.js';
import { describeCertificate, parseCertificateBundle } from './certificateBundle.js';

export { describeCertificate };

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
    /** A replacement {certificate, key}: checked like the certificate store's uploads. */
    async install(body: unknown): Promise<CertificateInfo> {
      const b = (body ?? {}) as { certificate?: unknown; key?: unknown };
      const text = (v: unknown, max: number) => (typeof v === 'string' && v.length < max ? v : '');
      const bundle = parseCertificateBundle(
        { certs: text(b.certificate, 64_000), key: text(b.key, 16_000) },
        now(),
        'certificate',
        'key',
      );
      await o.files.write({ cert: bundle.certPem, key: bundle.keyPem });
      return describeCertificate(bundle.certPem);
    },
  };
}
export type ConsoleCertificate = ReturnType<typeof createConsoleCertificate>;
