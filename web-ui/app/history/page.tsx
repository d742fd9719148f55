'use client';
import { useCallback, useEffect, useState } from 'react';
import type { StatusResponse } from '@tandem/core';
import { api, ApiError } from '../../lib/api';
import { ApplyPanel, DiffView } from '../applyPanel';
import { Nav } from '../nav';
import { Note } from '../note';
import { useSession } from '../useSession';

interface Summary {
  number: number;
  author: string;
  message: string;
  origin: string;
  createdAt: string;
}

/** Every generation with author and message; its diff against the previous one; rollback. */
export default function HistoryPage() {
  const session = useSession();
  const [list, setList] = useState<Summary[]>([]);
  const [status, setStatus] = useState<StatusResponse | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [diff, setDiff] = useState<string>('');
  const [note, setNote] = useState<string | null>(null);

  const load = useCallback(async () => {
    setList(await api<Summary[]>('GET', '/v1/generations?limit=50'));
    setStatus(await api<StatusResponse>('GET', '/v1/status'));
  }, []);
  useEffect(() => {
    if (session) void load();
  }, [session, load]);
  const show = async (n: number) => {
    setOpen(n);
    setDiff(
      n > 1
        ? (await api<{ haproxy: string }>('GET', `/v1/diff?from=${n - 1}&to=${n}`)).haproxy
        : '',
    );
  };
  const rollback = async (to: number) => {
    try {
      const r = await api<{ generation: { number: number } }>('POST', '/v1/rollback', {
        base: status?.desired ?? null,
        to,
        message: `roll back to generation ${to}`,
      });
      setNote(
        `Generation ${r.generation.number} equals generation ${to}: apply it to make it live.`,
      );
      await load();
    } catch (e) {
      setNote(e instanceof ApiError ? e.message : 'the unit did not answer');
    }
  };

  if (!session)
    return <main className="p-6 text-sm text-slate-500 dark:text-slate-400">Loading…</main>;
  const admin = session.role === 'admin';
  return (
    <div className="mx-auto max-w-5xl p-4 sm:p-6">
      <Nav session={session} unit={status?.unit} />
      <Note text={note} />
      <ApplyPanel status={status} admin={admin} onDone={() => void load()} />
      <h2 className="mb-2 mt-6 text-lg font-medium">History</h2>
      <ul className="divide-y divide-slate-200 rounded border border-slate-200 bg-white text-sm dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
        {list.map((g) => (
          <li key={g.number} className="px-3 py-2">
            <div className="flex items-center gap-3">
              <button
                onClick={() => void show(g.number)}
                className="font-medium underline-offset-2 hover:underline"
              >
                Generation {g.number}
              </button>
              {status?.running === g.number && (
                <span className="rounded bg-emerald-100 px-1.5 text-xs text-emerald-800 dark:bg-emerald-900 dark:text-emerald-200">
                  running
                </span>
              )}
              <span className="text-slate-500 dark:text-slate-400">
                {g.author}, {new Date(g.createdAt).toLocaleString()}: {g.message}
              </span>
              {admin && status?.desired !== g.number && (
                <button
                  onClick={() => void rollback(g.number)}
                  className="ml-auto rounded border border-slate-300 px-2 py-0.5 dark:border-slate-700"
                >
                  Roll back to this
                </button>
              )}
            </div>
            {open === g.number && (
              <div className="mt-2">
                <DiffView text={diff} />
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
