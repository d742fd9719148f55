'use client';
import { useState, type FormEvent } from 'react';
import type { ClusterStatus } from '@tandem/core';
import { api, ApiError, type FieldError } from '../../lib/api';
import { inputClass } from '../ui';

const card = 'rounded border border-slate-200 p-4 dark:border-slate-800';
const button = 'rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white';

/**
 * An unpaired unit's two ways into a pair (docs/cluster.md): show a one-time code here (this
 * unit joins and takes the other's configuration), or type the other unit's address and code
 * (this unit invites it). Both need sudo mode; the agent checks it.
 */
export function PairingPanel(p: { status: ClusterStatus; onPaired: (s: ClusterStatus) => void }) {
  const [code, setCode] = useState<{ code: string; expiresAt: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const failed = (e: unknown) => {
    setError(e instanceof ApiError ? e.message : 'the unit did not answer');
    setFields(e instanceof ApiError ? e.fields : []);
  };
  const show = async () => {
    try {
      setCode(
        await api<{ code: string; expiresAt: number }>('POST', '/v1/cluster/pairing-code', {}),
      );
      setError(null);
    } catch (e) {
      failed(e);
    }
  };
  const pair = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    try {
      p.onPaired(
        await api<ClusterStatus>('POST', '/v1/cluster/pair', {
          address: String(form.get('address') ?? '').trim(),
          code: String(form.get('code') ?? ''),
        }),
      );
    } catch (err) {
      failed(err);
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (name: string) => fields.find((f) => f.path === name)?.message;
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <section className={card} aria-label="Join a pair">
        <h3 className="font-medium">Join a pair</h3>
        <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">
          Show a one-time code here and type it on the unit that invites this one. This unit then
          takes that unit&apos;s configuration and history (its own are archived).
        </p>
        {code ? (
          <div className="mt-3">
            <p className="font-mono text-3xl tracking-widest" data-testid="pairing-code">
              {code.code}
            </p>
            <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">
              Valid once, until {new Date(code.expiresAt).toLocaleTimeString()}. This unit&apos;s
              identity: <span className="font-mono">{p.status.identity?.shortFingerprint}</span>
            </p>
          </div>
        ) : (
          <button type="button" onClick={() => void show()} className={`mt-3 ${button}`}>
            Show a pairing code
          </button>
        )}
      </section>
      <section className={card} aria-label="Invite a unit">
        <h3 className="font-medium">Invite a unit</h3>
        <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">
          Enter the other unit&apos;s address and the code it shows. It takes this unit&apos;s
          configuration.
        </p>
        <form onSubmit={(e) => void pair(e)} className="mt-3 space-y-2 text-sm">
          <label className="block">
            <span className="font-medium">Its address</span>
            <input
              name="address"
              required
              placeholder="198.18.0.12"
              className={inputClass}
              aria-invalid={fieldError('address') ? true : undefined}
            />
            {fieldError('address') && (
              <span className="text-red-600 dark:text-red-400">{fieldError('address')}</span>
            )}
          </label>
          <label className="block">
            <span className="font-medium">Its pairing code</span>
            <input
              name="code"
              required
              placeholder="7K3QD-9XW2M"
              autoComplete="off"
              className={`${inputClass} font-mono uppercase`}
              aria-invalid={fieldError('code') ? true : undefined}
            />
            {fieldError('code') && (
              <span className="text-red-600 dark:text-red-400">{fieldError('code')}</span>
            )}
          </label>
          <button disabled={busy} className={button}>
            {busy ? 'Pairing…' : 'Pair'}
          </button>
        </form>
      </section>
      {error && (
        <p role="alert" className="text-sm text-red-600 md:col-span-2 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}
