'use client';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { CertificateStored, StoredCertificate } from '@tandem/core';
import { api, ApiError, type FieldError } from '../../lib/api';
import { Field, FormAlert, inputClass } from '../ui';
import { AcmeSection } from './acmeSection';

/** Within this many days of expiry a certificate is flagged (the dashboard's warning, too). */
const SOON_DAYS = 21;
const DAY = 86_400_000;

/** A PKCS#12 file by its name; anything else is read as PEM text. */
const isPkcs12 = (f: File) => /\.(p12|pfx)$/i.test(f.name);

/** A file's bytes in base64 (PKCS#12 is binary). */
async function base64(f: File): Promise<string> {
  const bytes = new Uint8Array(await f.arrayBuffer());
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/**
 * The certificates services use (issue 18): upload PEM files (certificate, chain, key: one file
 * or several) or a PKCS#12 file with its password, or paste PEM; each is checked by the agent,
 * which names what is wrong. Listed with names, issuer, expiry and the services that use it; a
 * replacement of one in use is served at once, no reload.
 */
export function CertificateStoreSection(p: { admin: boolean; onNote: (text: string) => void }) {
  const [list, setList] = useState<StoredCertificate[]>([]);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [replacing, setReplacing] = useState<string | null>(null);
  const load = useCallback(
    async () => setList(await api<StoredCertificate[]>('GET', '/v1/certificates')),
    [],
  );
  useEffect(() => void load(), [load]);

  const fail = (e: unknown) => {
    setErrors(e instanceof ApiError ? e.fields : []);
    setError(e instanceof ApiError ? e.message : 'the unit did not answer');
  };
  const upload = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const files = (f.getAll('files') as File[]).filter((x) => x.size > 0);
    const p12 = files.find(isPkcs12);
    const pasted = String(f.get('pem') ?? '');
    try {
      const body = p12
        ? { pkcs12: await base64(p12), password: String(f.get('password') ?? '') }
        : { pem: (await Promise.all(files.map((x) => x.text()))).join('\n') + pasted };
      const name = replacing ?? String(f.get('name') ?? '');
      const r = await api<CertificateStored>('POST', '/v1/certificates', {
        name,
        ...body,
        ...(replacing ? { replace: true } : {}),
      });
      p.onNote(
        r.applied === 'live'
          ? `Certificate ${name} replaced: HAProxy serves it now (no reload).`
          : `Certificate ${name} stored.`,
      );
      setErrors([]);
      setError(null);
      setReplacing(null);
      form.reset();
      await load();
    } catch (err) {
      fail(err);
    }
  };
  const remove = async (name: string) => {
    try {
      await api('DELETE', `/v1/certificates/${encodeURIComponent(name)}`);
      p.onNote(`Certificate ${name} removed.`);
      setError(null);
      await load();
    } catch (err) {
      fail(err);
    }
  };
  const err = (path: string) => errors.find((x) => x.path === path)?.message;
  const now = Date.now();

  return (
    <section
      id="certificates"
      aria-label="Certificates"
      className="rounded-lg border border-slate-200 bg-white p-4 md:col-span-2 dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 className="mb-1 text-lg font-medium">Certificates</h2>
      <p className="mb-3 text-slate-500 dark:text-slate-400">
        What services with TLS present to clients, chosen by name in their settings.
      </p>
      {list.length === 0 ? (
        <p className="mb-3">No certificate stored yet.</p>
      ) : (
        <ul
          data-testid="certificate-list"
          className="mb-4 divide-y divide-slate-100 dark:divide-slate-800"
        >
          {list.map((c) => {
            const left = Math.floor((new Date(c.notAfter).getTime() - now) / DAY);
            return (
              <li key={c.name} className="flex flex-wrap items-start gap-x-4 gap-y-1 py-2">
                <div className="min-w-0 flex-1">
                  <div className="font-medium">{c.name}</div>
                  <div className="break-all text-slate-600 dark:text-slate-400">
                    {c.names || c.subject}
                  </div>
                  <div className="text-xs text-slate-500 dark:text-slate-400">
                    {c.selfSigned ? 'self-signed' : `issued by ${c.issuer}`}
                    {c.chain > 0 ? `, with ${c.chain} in its chain` : ''} · SHA-256{' '}
                    <span className="font-mono">{c.fingerprint.slice(0, 23)}…</span>
                  </div>
                </div>
                <div className="text-right">
                  <div
                    className={
                      left < SOON_DAYS ? 'font-medium text-red-700 dark:text-red-400' : undefined
                    }
                  >
                    {left < 0 ? 'expired' : `expires in ${left} days`}
                  </div>
                  <div className="text-xs text-slate-500 dark:text-slate-400">
                    {c.usedBy.length ? `used by ${c.usedBy.join(', ')}` : 'not used'}
                  </div>
                </div>
                {p.admin && (
                  <div className="flex gap-1">
                    <button
                      onClick={() => setReplacing(c.name)}
                      className="rounded border border-slate-300 px-2 py-0.5 dark:border-slate-700"
                    >
                      Replace
                    </button>
                    <button
                      onClick={() => void remove(c.name)}
                      className="rounded border border-slate-300 px-2 py-0.5 dark:border-slate-700"
                    >
                      Remove
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {p.admin && (
        <form
          aria-label={replacing ? `Replace certificate ${replacing}` : 'Add a certificate'}
          onSubmit={(e) => void upload(e)}
          className="grid gap-3 md:grid-cols-2"
        >
          <h3 className="font-medium md:col-span-2">
            {replacing ? `Replace ${replacing}` : 'Add a certificate'}
          </h3>
          {!replacing && <Field name="name" label="Name (services refer to it)" fields={errors} />}
          <label className="block text-sm">
            <span className="font-medium">Files: PEM (certificate, chain, key) or PKCS#12</span>
            <input
              name="files"
              type="file"
              multiple
              accept=".pem,.crt,.cer,.key,.p12,.pfx"
              className={inputClass}
            />
            {(err('pkcs12') ?? err('key')) && (
              <span className="mt-1 block text-red-600 dark:text-red-400">
                {err('pkcs12') ?? err('key')}
              </span>
            )}
          </label>
          <label className="block text-sm">
            <span className="font-medium">PKCS#12 password</span>
            <input name="password" type="password" autoComplete="off" className={inputClass} />
            {err('password') && (
              <span className="mt-1 block text-red-600 dark:text-red-400">{err('password')}</span>
            )}
          </label>
          <label className="block text-sm md:col-span-2">
            <span className="font-medium">Or paste PEM</span>
            <textarea
              name="pem"
              rows={3}
              spellCheck={false}
              className={`${inputClass} font-mono text-xs`}
            />
            {err('pem') && (
              <span className="mt-1 block text-red-600 dark:text-red-400">
                {errors
                  .filter((x) => x.path === 'pem')
                  .map((x) => x.message)
                  .join('; ')}
              </span>
            )}
          </label>
          <div className="flex gap-2 md:col-span-2">
            <button className="rounded bg-indigo-600 px-3 py-1.5 font-medium text-white">
              {replacing ? 'Replace' : 'Add certificate'}
            </button>
            {replacing && (
              <button
                type="button"
                onClick={() => setReplacing(null)}
                className="rounded border border-slate-300 px-3 py-1.5 dark:border-slate-700"
              >
                Cancel
              </button>
            )}
          </div>
        </form>
      )}
      <FormAlert text={error} />
      {p.admin && <AcmeSection onNote={p.onNote} onIssued={() => void load()} />}
    </section>
  );
}
