'use client';
import { useState } from 'react';

/**
 * A button for an action that cannot be taken back: the first press asks the question in
 * place, with the action and Cancel, so the keyboard focus stays where the user is.
 */
export function ConfirmButton(p: {
  label: string;
  question: string;
  action: string;
  onConfirm: () => void;
  tone?: 'danger' | 'warning';
}) {
  const [asking, setAsking] = useState(false);
  const colour = p.tone === 'warning' ? 'bg-amber-600' : 'bg-red-600';
  if (!asking)
    return (
      <button
        type="button"
        onClick={() => setAsking(true)}
        className={`rounded ${colour} px-3 py-1.5 text-sm font-medium text-white`}
      >
        {p.label}
      </button>
    );
  return (
    <span role="group" aria-label={p.question} className="flex flex-wrap items-center gap-2">
      {p.question}
      <button
        type="button"
        autoFocus
        onClick={() => {
          setAsking(false);
          p.onConfirm();
        }}
        className={`rounded ${colour} px-3 py-1.5 text-sm font-medium text-white`}
      >
        {p.action}
      </button>
      <button
        type="button"
        onClick={() => setAsking(false)}
        className="rounded border border-slate-300 px-3 py-1.5 text-sm dark:border-slate-700"
      >
        Cancel
      </button>
    </span>
  );
}
