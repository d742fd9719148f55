'use client';
import { Loading } from '../loadingScreen';
import { useCallback, useEffect, useState } from 'react';
import type { GenerationSummary, StatusResponse } from '@tandem/core';
import { api, ApiError } from '../../lib/api';
import { ApplyPanel, DiffView } from '../applyPanel';
import { Nav } from '../nav';
import { Note } from '../note';
import { useSession } from '../useSession';
import { PAGE_FRAME } from '../ui';

const PAGE = 50;

/** Every generation with author and message; its diff against the previous one; rollback. */
export default function HistoryPage() {
  const session = useSession();
  const [list, setList] = useState<GenerationSummary[] | null>(null);
  const [more, setMore] = useState(false);
  const [status, setStatus] = useState<StatusResponse | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [diff, setDiff] = useState<string>('');
  const [note, setNote] = useState<string | null>(null);

  const load = useCallback(async () => {
    const page = await api<GenerationSummary[]>('GET', `/v1/generations?limit=${PAGE}`);
    setList(page);
    setMore(page.length === PAGE);
    setStatus(await api<StatusResponse>('GET', '/v1/status'));
  }, []);
  useEffect(() => {
    if (session) void load();
  }, [session, load]);
  const older = async () => {
    const last = list?.at(-1);
    if (!last) return;
    const page = await api<GenerationSummary[]>(
      'GET',
      `/v1/generations?limit=${PAGE}&before=${last.number}`,
    );
    setList([...(list ?? []), ...page]);
    setMore(page.length === PAGE);
  };
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

  if (!session || list === null) return <Loading />;
  const admin = session.role === 'admin';
  return (
    <div className={PAGE_FRAME}>
      <Nav session={session} unit={status?.unit} />
      <Note text={note} />
      <ApplyPanel status={status} admin={admin} onDone={() => void load()} />
      <h2 className="mb-2 mt-6 text-lg font-medium">History</h2>
      {list.length === 0 && (
        <p className="text-sm text-slate-500 dark:text-slate-400">No generations yet.</p>
      )}
      <ul className="divide-y divide-slate-200 rounded border border-slate-200 bg-white text-sm dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
        {list.map((g) => (
          <li key={g.number} className="px-3 py-2">
            <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
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
              {status?.desired === g.number && status.running !== g.number && (
                <span className="rounded bg-amber-100 px-1.5 text-xs text-amber-900 dark:bg-amber-900 dark:text-amber-100">
                  not applied yet
                </span>
              )}
              <span className="text-slate-500 dark:text-slate-400">
                {g.author}, {new Date(g.createdAt).toLocaleString()}
                {g.origin === 'change' ? '' : ` (${g.origin})`}: {g.message}
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
      {more && (
        <button
          onClick={() => void older()}
          className="mt-3 rounded border border-slate-300 px-3 py-1.5 text-sm dark:border-slate-700"
        >
          Older generations
        </button>
      )}
    </div>
  );
}
