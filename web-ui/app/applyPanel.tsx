'use client';
import { useEffect, useRef, useState } from 'react';
import type { StatusResponse } from '@tandem/core';
import { applyConfirmed } from '../lib/confirmed';
import { api, ApiError, type FieldError } from '../lib/api';

/** One unified diff, with added and removed lines coloured. */
export function DiffView({ text }: { text: string }) {
  if (text === '')
    return <p className="text-sm text-slate-500 dark:text-slate-400">No differences.</p>;
  return (
    // Focusable, so a keyboard can scroll a long diff (axe: scrollable-region-focusable).
    <pre
      tabIndex={0}
      aria-label="Differences"
      className="max-h-96 overflow-auto rounded bg-slate-100 p-3 text-xs dark:bg-slate-900"
    >
      {text.split('\n').map((l, i) => (
        <div
          key={i}
          className={
            l.startsWith('+') && !l.startsWith('+++')
              ? 'text-emerald-700 dark:text-emerald-400'
              : l.startsWith('-') && !l.startsWith('---')
                ? 'text-red-700 dark:text-red-400'
                : ''
          }
        >
          {l || ' '}
        </div>
      ))}
    </pre>
  );
}

/**
 * The pending-changes banner: when the desired generation is not the running one, shows the
 * haproxy.cfg diff between them and applies on request, then says what happened (reload or
 * unchanged, or the error with the fields it names).
 */
export function ApplyPanel(p: {
  status: StatusResponse | null;
  admin: boolean;
  onDone: () => void;
  /**
   * Bumped when the user just committed a change on this page: the panel comes into view with
   * its Apply button focused, the next step where the eyes are (no toast pointing elsewhere).
   */
  reveal?: number;
}) {
  const [diff, setDiff] = useState<string | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string; fields: FieldError[] } | null>(
    null,
  );
  const [busy, setBusy] = useState(false);
  const pending =
    p.status !== null && p.status.desired !== null && p.status.desired !== p.status.running;
  const desired = p.status?.desired ?? null;
  const running = p.status?.running ?? null;
  // Keyed on the two numbers, not the status object: pages poll the status every few seconds.
  useEffect(() => {
    if (!pending || desired === null) return;
    void api<{ haproxy: string }>('GET', `/v1/diff?from=${running ?? desired}&to=${desired}`).then(
      (d) => setDiff(d.haproxy),
    );
  }, [pending, desired, running]);
  const panel = useRef<HTMLElement>(null);
  const applyButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!p.reveal || !pending) return;
    panel.current?.scrollIntoView({ block: 'nearest' });
    applyButton.current?.focus({ preventScroll: true });
  }, [p.reveal, pending, desired]);
  const apply = async () => {
    setBusy(true);
    try {
      const r = await applyConfirmed();
      setResult({
        ok: true,
        text: `Generation ${r.generation} is running (${r.outcome === 'reload' ? `reload in ${r.durationMs} ms` : 'unchanged'}).${r.confirmed.length > 0 ? ` Confirmed, as this console still reaches the unit: ${r.confirmed.join('; ')}.` : ''}`,
        // Warnings by field (a name servers follow that does not resolve yet): the apply stands.
        fields: (r.warnings ?? []).map((w) => ({ path: w.path, message: `warning: ${w.message}` })),
      });
      setDiff(null);
      p.onDone();
    } catch (e) {
      setResult({
        ok: false,
        text: e instanceof ApiError ? e.message : 'the unit did not answer',
        fields: e instanceof ApiError ? e.fields : [],
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {pending && (
        <section
          ref={panel}
          aria-label="Pending changes"
          className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm dark:border-amber-800 dark:bg-amber-950"
        >
          <div className="mb-2 flex items-center justify-between">
            <span className="font-medium">
              Generation {p.status?.desired} is not live yet (running: {p.status?.running ?? 'none'}
              ).
            </span>
            {p.admin && (
              <button
                ref={applyButton}
                disabled={busy}
                onClick={() => void apply()}
                className="rounded bg-indigo-600 px-3 py-1.5 font-medium text-white disabled:opacity-50"
              >
                {busy ? 'Applying…' : 'Apply'}
              </button>
            )}
          </div>
          {diff !== null && <DiffView text={diff} />}
        </section>
      )}
      {result && (
        <div
          role="status"
          className={`mt-3 rounded p-3 text-sm ${result.ok ? 'bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200' : 'bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-200'}`}
        >
          {result.text}
          {result.fields.map((f) => (
            <div key={f.path}>
              {f.path}: {f.message}
            </div>
          ))}
        </div>
      )}
    </>
  );
}
