import { readFileSync } from 'node:fs';
import type { CertificateStored, StoredCertificate } from '@tandem/core';
import type { ApiClient } from './apiClient.js';
import { flag, UsageError, type ParsedArgs } from './parseArgs.js';
import { table } from './table.js';

/** A PKCS#12 file by its name: read as bytes; anything else as PEM text. */
const isPkcs12 = (file: string) => /\.(p12|pfx)$/i.test(file);

/**
 * `tandemctl cert [list | add NAME FILE... [--password-stdin] | replace NAME FILE... | rm NAME]`:
 * the certificate store from the unit's shell. PEM files are joined (certificate, chain and key
 * may be apart); a `.p12`/`.pfx` file is sent as PKCS#12, its password read from stdin.
 */
export async function runCert(
  api: ApiClient,
  a: ParsedArgs,
  out: (line: string) => void,
  json: boolean,
  readStdin: () => string = () => readFileSync(0, 'utf8'),
): Promise<number> {
  const [, sub = 'list', name, ...files] = a.positionals;
  switch (sub) {
    case 'list': {
      const certs = await api.get<StoredCertificate[]>('/v1/certificates');
      if (json) out(JSON.stringify(certs, null, 2));
      else if (certs.length === 0) out('no certificates stored');
      else
        out(
          table([
            ['NAME', 'NAMES', 'EXPIRES', 'USED BY'],
            ...certs.map((c) => [
              c.name,
              c.names || c.subject,
              c.notAfter.slice(0, 10),
              c.usedBy.join(',') || '-',
            ]),
          ]),
        );
      return 0;
    }
    case 'add':
    case 'replace': {
      if (!name || files.length === 0)
        throw new UsageError(`tandemctl cert ${sub} needs a name and the certificate's file(s)`);
      const p12 = files.find(isPkcs12);
      const body = p12
        ? {
            pkcs12: readFileSync(p12).toString('base64'),
            // Never an argument: `ps` shows those. The first line of stdin.
            password: flag(a, 'password-stdin') ? (readStdin().split('\n')[0] ?? '') : '',
          }
        : { pem: files.map((f) => readFileSync(f, 'utf8')).join('\n') };
      const r = await api.send<CertificateStored>('POST', '/v1/certificates', {
        name,
        ...body,
        ...(sub === 'replace' ? { replace: true } : {}),
      });
      out(
        json
          ? JSON.stringify(r, null, 2)
          : `${name}: ${r.certificate.names || r.certificate.subject}, until ${r.certificate.notAfter.slice(0, 10)}${r.applied === 'live' ? ' (served now, no reload)' : ''}`,
      );
      return 0;
    }
    case 'rm':
      if (!name) throw new UsageError('tandemctl cert rm needs a name');
      await api.send('DELETE', `/v1/certificates/${encodeURIComponent(name)}`, undefined);
      out(`removed ${name}`);
      return 0;
    default:
      throw new UsageError(`unknown command "cert ${sub}"`);
  }
}
