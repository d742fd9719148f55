'use client';
import { Loading } from '../loadingScreen';
import dynamic from 'next/dynamic';
import { useState, type FormEvent } from 'react';
import type { SessionInfo } from '@tandem/core';
import { api, ApiError } from '../../lib/api';
import { Nav } from '../nav';
import { useSession } from '../useSession';

// xterm.js needs the browser: loaded on the client only.
const TerminalView = dynamic(() => import('./terminalView').then((m) => m.TerminalView), {
  ssr: false,
});

/** A shell on the unit, for admins who re-enter their password (sudo mode, 10 minutes). Audited. */
export default function TerminalPage() {
  const session = useSession();
  const [sudo, setSudo] = useState<SessionInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const confirm = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    try {
      setSudo(
        await api<SessionInfo>('POST', '/v1/auth/sudo', {
          password: String(new FormData(e.currentTarget).get('password') ?? ''),
        }),
      );
      setError(null);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'the unit did not answer');
    }
  };
  if (!session) return <Loading />;
  const open = (sudo ?? session).sudoUntil !== null;
  return (
    <div className="mx-auto max-w-6xl p-4 sm:p-6">
      <Nav session={session} />
      {session.role !== 'admin' ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">
          The terminal is for administrators.
        </p>
      ) : open ? (
        <TerminalView />
      ) : (
        <form onSubmit={(e) => void confirm(e)} className="max-w-sm space-y-3 text-sm">
          <p>
            The terminal is a root shell on this unit. Enter your password again to open it (valid
            for 10 minutes).
          </p>
          <input
            name="password"
            aria-label="Your password"
            type="password"
            autoComplete="current-password"
            required
            className="block w-full rounded border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-800"
          />
          {error && (
            <p role="alert" className="text-red-600 dark:text-red-400">
              {error}
            </p>
          )}
          <button className="rounded bg-indigo-600 px-4 py-2 font-medium text-white">
            Open the terminal
          </button>
        </form>
      )}
    </div>
  );
}
