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
  { href: '/audit', label: 'Audit' },
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
    <>
      {/* One row from 1,024 px up (the page is at most 72rem wide): a long unit name is cut short
        rather than push the user's controls onto a second line. */}
      <header className="mb-6 flex flex-wrap items-center justify-between gap-3 lg:flex-nowrap">
        <div className="flex min-w-0 flex-wrap items-center gap-x-4 gap-y-2 lg:flex-nowrap">
          <span className="flex min-w-0 items-baseline gap-2 text-xl font-semibold">
            Tandem
            <span
              className="max-w-[14rem] truncate text-slate-500 dark:text-slate-400"
              title={unit ?? fetched ?? ''}
            >
              {unit ?? fetched ?? ''}
            </span>
          </span>
          <nav aria-label="Main" className="flex flex-wrap gap-0.5 text-sm">
            {LINKS.map((l) => (
              <Link
                key={l.href}
                href={l.href}
                aria-current={path === l.href ? 'page' : undefined}
                className={`rounded px-2.5 py-1.5 ${path === l.href ? 'bg-slate-200 font-medium dark:bg-slate-800' : 'hover:bg-slate-100 dark:hover:bg-slate-900'}`}
              >
                {l.label}
              </Link>
            ))}
          </nav>
        </div>
        <div className="flex shrink-0 items-center gap-3 text-sm" data-testid="user-controls">
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
      {session.mustEnrol && (
        <p
          role="status"
          data-testid="must-enrol"
          className="mb-4 rounded bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200"
        >
          Two-factor sign-in is required for admins on this unit. Until you{' '}
          <Link href="/settings#two-factor" className="font-medium underline">
            set it up in Settings
          </Link>
          , you can look at everything but change nothing.
        </p>
      )}
    </>
  );
}
