'use client';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { SessionInfo, StatusResponse } from '@tandem/core';
import { api } from '../lib/api';
import { ThemeSwitch } from './themeSwitch';

const LINKS = [
  { href: '/', label: 'Dashboard' },
  { href: '/services', label: 'Services' },
  { href: '/history', label: 'History' },
  { href: '/logs', label: 'Logs' },
  { href: '/cluster', label: 'Cluster' },
  { href: '/terminal', label: 'Terminal' },
  { href: '/settings', label: 'Settings' },
];

// The unit's name, asked once per page load for the pages that do not read the status anyway.
let unitName: Promise<string> | null = null;

/** The console's header: which unit, where you are, who you are, sign out. */
export function Nav({ session, unit }: { session: SessionInfo; unit?: string }) {
  const path = usePathname();
  const router = useRouter();
  const [fetched, setFetched] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (unit !== undefined) return;
    unitName ??= api<StatusResponse>('GET', '/v1/status').then((s) => s.unit);
    unitName.then(setFetched, () => (unitName = null));
  }, [unit]);
  const signOut = async () => {
    await api('POST', '/v1/auth/logout', {});
    router.replace('/login');
  };
  return (
    <header className="mb-6 flex flex-wrap items-center justify-between gap-3">
      <div className="flex flex-wrap items-center gap-x-6 gap-y-2">
        <span className="text-2xl font-semibold">
          Tandem <span className="text-slate-500 dark:text-slate-400">{unit ?? fetched ?? ''}</span>
        </span>
        <nav aria-label="Main" className="flex flex-wrap gap-1 text-sm">
          {LINKS.map((l) => (
            <Link
              key={l.href}
              href={l.href}
              aria-current={path === l.href ? 'page' : undefined}
              className={`rounded px-3 py-1.5 ${path === l.href ? 'bg-slate-200 font-medium dark:bg-slate-800' : 'hover:bg-slate-100 dark:hover:bg-slate-900'}`}
            >
              {l.label}
            </Link>
          ))}
        </nav>
      </div>
      <div className="flex items-center gap-3 text-sm">
        <ThemeSwitch />
        <span>
          {session.user} ({session.role})
        </span>
        <button
          onClick={() => void signOut()}
          className="rounded border border-slate-300 px-3 py-1 dark:border-slate-700"
        >
          Sign out
        </button>
      </div>
    </header>
  );
}
