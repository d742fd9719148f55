'use client';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { AUDIT_KINDS, type AuditEntry, type AuditKind } from '@tandem/core';
import { api, ApiError } from '../../lib/api';
import { Loading } from '../loadingScreen';
import { Nav } from '../nav';
import { FilterInput, FilterSelect } from '../filterFields';
import { useSession } from '../useSession';
import { PAGE_FRAME } from '../ui';

const PAGE = 100;

const KIND_WORDS: Record<AuditKind, string> = {
  'sign-in': 'Sign-ins',
  'failed-sign-in': 'Failed sign-ins',
  change: 'Changes',
  apply: 'Applies',
  rollback: 'Rollbacks',
  restore: 'Restores',
  terminal: 'Terminal sessions',
  users: 'Users and passwords',
};

const RANGES = [
  { label: 'Any time', ms: 0 },
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last 24 hours', ms: 86_400_000 },
  { label: 'Last 7 days', ms: 7 * 86_400_000 },
];

/** Actions as people say them ("applied", "signed in"); other API changes stay method and path. */
const ACTION_WORDS: Record<string, string> = {
  login: 'signed in',
  logout: 'signed out',
  'login-failed': 'failed to sign in',
  setup: 'set up the unit',
  sudo: 'entered the password again (terminal)',
  'terminal-opened': 'opened the terminal',
  'terminal-closed': 'closed the terminal',
  'terminal-ended': 'terminal ended',
  'two-factor-on': 'turned on two-factor sign-in',
  'two-factor-off': 'removed two-factor sign-in',
  'recovery-codes-renewed': 'made new recovery codes',
  'sign-in-policy': 'changed the sign-in policy',
  'password-changed': 'changed their password',
  'password-reset': 'reset a password',
  'user-added': 'added a user',
  'user-removed': 'removed a user',
  'user-synced': 'user synced from the peer',
  'POST /v1/apply': 'applied',
  'POST /v1/rollback': 'rolled back',
  'POST /v1/restore': 'restored a backup',
};

/** Who did what, when and from where: sign-ins, changes, applies, terminal sessions, restores. */
export default function AuditPage() {
  const session = useSession();
  const [rows, setRows] = useState<AuditEntry[] | null>(null);
  const [query, setQuery] = useState('');
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (q: string, before?: number) => {
    try {
      const page = await api<AuditEntry[]>(
        'GET',
        `/v1/audit?limit=${PAGE}${q ? `&${q}` : ''}${before ? `&before=${before}` : ''}`,
      );
      setRows((old) => (before ? [...(old ?? []), ...page] : page));
      setMore(page.length === PAGE);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'the unit did not answer');
    }
  }, []);
  useEffect(() => {
    if (session) void load(query);
  }, [session, load, query]);

  const filter = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const p = new URLSearchParams();
    for (const k of ['user', 'kind', 'q'] as const) {
      const v = String(f.get(k) ?? '').trim();
      if (v) p.set(k, v);
    }
    const range = Number(f.get('range') ?? 0);
    if (range > 0) p.set('from', String(Date.now() - range));
    setQuery(p.toString());
  };

  if (!session || rows === null) return <Loading />;
  return (
    <div className={PAGE_FRAME}>
      <Nav session={session} />
      <h1 className="mb-1 text-xl font-semibold">Audit</h1>
      <p className="mb-4 text-sm text-slate-500 dark:text-slate-400">
        Who did what, when, and from which address: sign-ins, changes, applies, rollbacks, restores,
        terminal sessions. Kept in the unit&apos;s user database.
      </p>
      <form
        onSubmit={filter}
        aria-label="Filter the audit log"
        className="mb-4 flex flex-wrap items-end gap-2 text-sm"
      >
        <FilterInput name="user" label="User" width="w-36" />
        <FilterSelect
          name="kind"
          label="Kind"
          defaultValue=""
          options={[
            { value: '', label: 'Everything' },
            ...AUDIT_KINDS.map((k) => ({ value: k, label: KIND_WORDS[k] })),
          ]}
        />
        <FilterInput name="q" label="Text" width="w-48" placeholder="address, path, name" />
        <FilterSelect
          name="range"
          label="When"
          defaultValue={0}
          options={RANGES.map((r) => ({ value: r.ms, label: r.label }))}
        />
        <button className="rounded bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-500">
          Filter
        </button>
      </form>
      {error && (
        <p role="alert" className="mb-3 text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">Nothing matches.</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 dark:bg-slate-900">
              <tr>
                <th className="px-3 py-2">When</th>
                <th className="px-3 py-2">Who</th>
                <th className="px-3 py-2">From</th>
                <th className="px-3 py-2">What</th>
                <th className="px-3 py-2">Detail</th>
              </tr>
            </thead>
            <tbody data-testid="audit-rows">
              {rows.map((r) => (
                <tr key={r.id} className="border-t border-slate-100 dark:border-slate-800">
                  <td
                    className="px-3 py-1.5 whitespace-nowrap"
                    title={new Date(r.at).toISOString()}
                  >
                    {new Date(r.at).toLocaleString()}
                  </td>
                  <td className="px-3 py-1.5">{r.user}</td>
                  <td className="px-3 py-1.5 font-mono text-xs whitespace-nowrap">
                    {r.source || 'this unit'}
                  </td>
                  <td
                    className={`px-3 py-1.5 break-all ${r.action === 'login-failed' ? 'text-red-700 dark:text-red-400' : ''}`}
                  >
                    {ACTION_WORDS[r.action] ?? r.action}
                  </td>
                  <td
                    className="max-w-md truncate px-3 py-1.5 text-slate-600 dark:text-slate-300"
                    title={r.detail}
                  >
                    {r.detail}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {more && (
        <button
          onClick={() => void load(query, rows.at(-1)?.id)}
          className="mt-3 rounded border border-slate-300 px-3 py-1.5 text-sm dark:border-slate-700"
        >
          Load older entries
        </button>
      )}
    </div>
  );
}
