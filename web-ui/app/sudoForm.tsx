'use client';
import { CodeField, FormAlert } from './ui';
import { useState, type FormEvent } from 'react';
import type { SessionInfo } from '@tandem/core';
import { api, ApiError } from '../lib/api';

/**
 * Re-entering the password (and the code, for a user with two-factor sign-in) for sudo mode
 * (10 minutes): what the terminal and pairing ask of an admin before they act. The agent checks
 * it again on every request that needs it.
 */
export function SudoForm(p: {
  why: string;
  action: string;
  session?: SessionInfo;
  onSudo: (s: SessionInfo) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  // Shown at once when the session says the user has a second factor, else when asked for.
  const [needCode, setNeedCode] = useState(p.session?.twoFactor ?? false);
  const confirm = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    try {
      p.onSudo(
        await api<SessionInfo>('POST', '/v1/auth/sudo', {
          password: String(f.get('password') ?? ''),
          ...(needCode ? { code: String(f.get('code') ?? '') } : {}),
        }),
      );
      setError(null);
    } catch (err) {
      const code = err instanceof ApiError && err.fields.some((x) => x.path === 'code');
      if (code) setNeedCode(true);
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
      {needCode && <CodeField />}
      <FormAlert text={error} />
      <button className="rounded bg-indigo-600 px-4 py-2 font-medium text-white">{p.action}</button>
    </form>
  );
}
