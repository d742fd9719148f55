'use client';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { SessionInfo, SshKeyInfo } from '@tandem/core';
import { api, ApiError } from '../../lib/api';
import { SudoForm } from '../sudoForm';
import { inputClass, FormAlert } from '../ui';

/**
 * The public keys that may log in to the unit over SSH (as root). SSH has no password login at
 * all, so until a key is added here nobody can log in. Adding or removing one is like opening
 * the terminal: the agent wants an admin who re-entered the password (sudo mode).
 */
export function SshKeysSection(p: { session: SessionInfo; onNote: (text: string) => void }) {
  const admin = p.session.role === 'admin';
  const [keys, setKeys] = useState<SshKeyInfo[]>([]);
  const [sudo, setSudo] = useState(p.session.sudoUntil !== null);
  const [askSudo, setAskSudo] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    async () => setKeys(await api<SshKeyInfo[]>('GET', '/v1/system/ssh-keys')),
    [],
  );
  useEffect(() => void load(), [load]);

  const act = async (what: () => Promise<string>) => {
    try {
      p.onNote(await what());
      setError(null);
      await load();
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'forbidden' && !sudo) setAskSudo(true);
      setError(
        e instanceof ApiError ? (e.fields[0]?.message ?? e.message) : 'the unit did not answer',
      );
      return false;
    }
  };
  const add = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const key = String(new FormData(form).get('publicKey') ?? '');
    const ok = await act(async () => {
      const k = await api<SshKeyInfo>('POST', '/v1/system/ssh-keys', { key });
      return `SSH key ${k.fingerprint} may log in now.`;
    });
    if (ok) form.reset();
  };
  const remove = (fingerprint: string) =>
    void act(async () => {
      await api('DELETE', `/v1/system/ssh-keys/${encodeURIComponent(fingerprint)}`);
      return `SSH key ${fingerprint} removed.`;
    });

  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 md:col-span-2 dark:border-slate-800 dark:bg-slate-900">
      <h2 className="mb-1 text-lg font-medium">SSH login keys</h2>
      <p className="mb-3 text-slate-500 dark:text-slate-400">
        SSH takes keys only, never a password:{' '}
        {keys.length === 0
          ? 'nobody can log in until a key is added.'
          : 'these keys may log in as root.'}
      </p>
      <ul data-testid="ssh-keys" className="mb-4 divide-y divide-slate-100 dark:divide-slate-800">
        {keys.map((k) => (
          <li key={k.fingerprint} className="flex flex-wrap items-center gap-2 py-1.5">
            <span className="font-medium">{k.comment || '(no comment)'}</span>
            <span className="text-slate-500 dark:text-slate-400">{k.type}</span>
            <code className="text-xs break-all">{k.fingerprint}</code>
            {admin && (
              <button
                onClick={() => remove(k.fingerprint)}
                className="ml-auto rounded border border-slate-300 px-2 py-0.5 dark:border-slate-700"
              >
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      {admin && askSudo && !sudo && (
        <div className="mb-3">
          <SudoForm
            why="An SSH key logs in as root, like the terminal. Enter your password again (valid for 10 minutes), then add the key."
            action="Continue"
            session={p.session}
            onSudo={() => {
              setSudo(true);
              setAskSudo(false);
              setError(null);
            }}
          />
        </div>
      )}
      {admin && (
        <form aria-label="Add an SSH key" onSubmit={(e) => void add(e)} className="space-y-2">
          <label className="block">
            Public key (one line of a .pub file: type, key, comment)
            <textarea
              name="publicKey"
              rows={2}
              required
              spellCheck={false}
              className={`${inputClass} font-mono text-xs`}
            />
          </label>
          <FormAlert text={error} />
          <button className="rounded bg-indigo-600 px-3 py-1.5 font-medium text-white">
            Add key
          </button>
        </form>
      )}
    </section>
  );
}
