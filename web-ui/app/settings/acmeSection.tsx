'use client';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { AcmeStatus, CertificateStored } from '@tandem/core';
import { api, ApiError, type FieldError } from '../../lib/api';
import { Field, FormAlert, inputClass } from '../ui';

const button = 'rounded bg-indigo-600 px-3 py-1.5 font-medium text-white disabled:opacity-50';
const plain = 'rounded border border-slate-300 px-2 py-0.5 dark:border-slate-700';

/**
 * Certificates from an ACME CA (issue 18): the CA's directory, a contact and its terms; then a
 * name and its domains to issue now and keep renewed. The CA checks each domain over HTTP on
 * port 80, which the unit's HAProxy answers itself: an HTTP service must listen there.
 */
export function AcmeSection(p: { onNote: (text: string) => void; onIssued: () => void }) {
  const [status, setStatus] = useState<AcmeStatus | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(async () => setStatus(await api<AcmeStatus>('GET', '/v1/acme')), []);
  useEffect(() => void load(), [load]);

  /** Runs one action; its answer as a note, or its error under the form. */
  const act = async (what: () => Promise<string>) => {
    setBusy(true);
    try {
      p.onNote(await what());
      setErrors([]);
      setError(null);
      p.onIssued();
    } catch (e) {
      setErrors(e instanceof ApiError ? e.fields : []);
      setError(e instanceof ApiError ? e.message : 'the unit did not answer');
    } finally {
      setBusy(false);
      await load();
    }
  };
  const saveSettings = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const email = String(f.get('email') ?? '');
    void act(async () => {
      await api('PUT', '/v1/acme', {
        directoryUrl: String(f.get('directoryUrl') ?? ''),
        ...(email ? { email } : {}),
        agreeTerms: f.get('agreeTerms') === 'on',
      });
      return 'ACME settings saved.';
    });
  };
  const issue = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const name = String(f.get('name') ?? '');
    const domains = String(f.get('domains') ?? '')
      .split(/[\s,]+/)
      .filter(Boolean);
    void act(async () => {
      const r = await api<CertificateStored>('POST', '/v1/acme/certificates', { name, domains });
      return `Certificate ${name} issued for ${domains.join(', ')}, until ${r.certificate.notAfter.slice(0, 10)}.`;
    });
  };
  const s = status?.settings;

  return (
    <div className="mt-6 border-t border-slate-100 pt-4 dark:border-slate-800" aria-label="ACME">
      <h3 className="font-medium">From an ACME CA (Let’s Encrypt and others)</h3>
      <p className="mb-3 text-slate-500 dark:text-slate-400">
        The CA checks each domain at http://domain/.well-known/acme-challenge/ on port 80; this
        unit’s HAProxy answers, so a service must listen on port 80 for those names. Certificates
        are renewed 30 days before they end.
      </p>
      <form
        aria-label="ACME settings"
        onSubmit={saveSettings}
        className="mb-4 grid gap-3 md:grid-cols-2"
      >
        <label className="block text-sm">
          <span className="font-medium">CA directory URL</span>
          <input
            name="directoryUrl"
            defaultValue={s?.directoryUrl ?? ''}
            placeholder="https://…/directory"
            className={inputClass}
          />
          {errors.find((x) => x.path === 'directoryUrl') && (
            <span className="mt-1 block text-red-600 dark:text-red-400">
              {errors.find((x) => x.path === 'directoryUrl')?.message}
            </span>
          )}
        </label>
        <label className="block text-sm">
          <span className="font-medium">Contact email (optional)</span>
          <input name="email" defaultValue={s?.email ?? ''} className={inputClass} />
        </label>
        <label className="flex items-center gap-2 text-sm md:col-span-2">
          <input type="checkbox" name="agreeTerms" defaultChecked={s?.agreeTerms ?? false} />I agree
          to the CA’s terms of service
        </label>
        <div className="md:col-span-2">
          <button disabled={busy} className={button}>
            Save ACME settings
          </button>
        </div>
      </form>
      {s && (
        <form
          aria-label="Issue a certificate"
          onSubmit={issue}
          className="grid gap-3 md:grid-cols-2"
        >
          <Field name="name" label="Certificate name" fields={errors} />
          <Field name="domains" label="Domains (comma-separated)" fields={errors} />
          <div className="md:col-span-2">
            <button disabled={busy} className={button}>
              {busy ? 'Asking the CA…' : 'Issue certificate'}
            </button>
          </div>
        </form>
      )}
      {status && status.certificates.length > 0 && (
        <ul
          data-testid="acme-list"
          className="mt-4 divide-y divide-slate-100 dark:divide-slate-800"
        >
          {status.certificates.map((c) => (
            <li key={c.name} className="flex flex-wrap items-center gap-x-4 gap-y-1 py-2">
              <span className="font-medium">{c.name}</span>
              <span className="text-slate-600 dark:text-slate-400">{c.domains.join(', ')}</span>
              <span
                className={`text-xs ${c.lastError ? 'text-red-700 dark:text-red-400' : 'text-slate-500 dark:text-slate-400'}`}
              >
                {c.elsewhere
                  ? `renewed by the peer: ${c.elsewhere}`
                  : c.lastError
                    ? `failed: ${c.lastError}${c.nextAttempt ? `; next try ${new Date(c.nextAttempt).toLocaleString()}` : ''}`
                    : c.lastAttempt
                      ? `issued ${new Date(c.lastAttempt).toLocaleString()}`
                      : ''}
              </span>
              <span className="ml-auto flex gap-1">
                <button
                  disabled={busy || c.elsewhere !== undefined}
                  className={plain}
                  onClick={() =>
                    void act(async () => {
                      await api(
                        'POST',
                        `/v1/acme/certificates/${encodeURIComponent(c.name)}/renew`,
                        {},
                      );
                      return `Certificate ${c.name} renewed.`;
                    })
                  }
                >
                  Renew now
                </button>
                <button
                  disabled={busy}
                  className={plain}
                  onClick={() =>
                    void act(async () => {
                      await api('DELETE', `/v1/acme/certificates/${encodeURIComponent(c.name)}`);
                      return `${c.name} is no longer renewed (the certificate stays).`;
                    })
                  }
                >
                  Stop renewing
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <FormAlert text={error} />
    </div>
  );
}
