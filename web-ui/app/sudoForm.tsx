'use client';
import { FormAlert } from './ui';
import { useState, type FormEvent } from 'react';
import type { SessionInfo } from '@tandem/core';
import { api, ApiError } from '../lib/api';

/**
 * Re-entering the password for sudo mode (10 minutes): what the terminal and pairing ask of an
 * admin before they act. The agent checks it again on every request that needs it.
 */
export function SudoForm(p: { why: string; action: string; onSudo: (s: SessionInfo) => void }) {
  const [error, setError] = useState<string | null>(null);
  const confirm = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    try {
      p.onSudo(
        await api<SessionInfo>('POST', '/v1/auth/sudo', {
          password: String(new FormData(e.currentTarget).get('password') ?? ''),
        }),
      );
      setError(null);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'the unit did not answer');
    }
  };
  return (
    <form onSubmit={(e) => void confirm(e)} className="max-w-sm space-y-3 text-sm">
      <p>{p.why}</p>
      <input
        name="password"
        aria-label="Your password"
        type="password"
        autoComplete="current-password"
        required
        className="block w-full rounded border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-800"
      />
      <FormAlert text={error} />
      <button className="rounded bg-indigo-600 px-4 py-2 font-medium text-white">{p.action}</button>
    </form>
  );
}
