import type { FormEvent } from 'react';
import type { CertificateInfo } from '@tandem/core';
import { inputClass } from '../ui';

/** The console's certificate: what is served and until when, and the upload form for admins. */
export function CertificateSection(p: {
  cert: CertificateInfo | null;
  admin: boolean;
  err: (path: string) => string | undefined;
  onUpload: (e: FormEvent<HTMLFormElement>) => void;
}) {
  const { cert, admin, err } = p;
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 md:col-span-2 dark:border-slate-800 dark:bg-slate-900">
      <h2 className="mb-3 text-lg font-medium">Console certificate</h2>
      {cert && (
        <p data-testid="certificate" className="mb-3">
          {cert.subject} {cert.selfSigned ? '(self-signed)' : `issued by ${cert.issuer}`}, valid
          until {new Date(cert.notAfter).toLocaleDateString()}
          {cert.names ? `, for ${cert.names}` : ''}
        </p>
      )}
      {admin && (
        <form
          aria-label="Upload a certificate"
          onSubmit={p.onUpload}
          className="grid gap-2 md:grid-cols-2"
        >
          <label className="block">
            Certificate (PEM, chain after it)
            <textarea
              name="certificate"
              rows={4}
              required
              className={`${inputClass} font-mono text-xs`}
            />
            {err('certificate') && (
              <span className="text-red-600 dark:text-red-400">{err('certificate')}</span>
            )}
          </label>
          <label className="block">
            Private key (PEM, unencrypted)
            <textarea name="key" rows={4} required className={`${inputClass} font-mono text-xs`} />
            {err('key') && <span className="text-red-600 dark:text-red-400">{err('key')}</span>}
          </label>
          <div>
            <button className="rounded bg-indigo-600 px-3 py-1.5 font-medium text-white">
              Install certificate
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
