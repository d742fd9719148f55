'use client';
import { useEffect, useState } from 'react';

/**
 * The answer to what the user just did, as a toast in the corner (role=status, so screen
 * readers say it). It stays 10 s, or until dismissed or replaced by the next answer.
 */
export function Note({ text }: { text: string | null }) {
  const [shown, setShown] = useState(text);
  useEffect(() => {
    setShown(text);
    if (!text) return;
    const t = setTimeout(() => setShown(null), 10_000);
    return () => clearTimeout(t);
  }, [text]);
  if (!shown) return null;
  return (
    <div
      role="status"
      className="fixed bottom-4 right-4 z-50 flex max-w-sm items-start gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900"
    >
      <p className="min-w-0 flex-1 [overflow-wrap:anywhere]">{shown}</p>
      <button
        type="button"
        aria-label="Dismiss"
        onClick={() => setShown(null)}
        className="rounded px-1 text-slate-500 hover:bg-slate-100 dark:text-slate-400 dark:hover:bg-slate-800"
      >
        ×
      </button>
    </div>
  );
}
