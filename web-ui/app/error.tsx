'use client';
import { Shell } from './ui';

/**
 * A page that failed in the browser (a bug, or an answer it did not expect): say so plainly and
 * offer to try again, rather than a blank screen. The unit itself is not affected.
 */
export default function PageError({ error, reset }: { error: Error; reset: () => void }) {
  return (
    <Shell
      title="This page stopped"
      subtitle="Something went wrong in the console. The unit keeps running; nothing was changed."
    >
      <p className="mb-4 break-words text-sm text-slate-500 dark:text-slate-400">{error.message}</p>
      <button
        onClick={reset}
        className="rounded bg-indigo-600 px-4 py-2 text-sm font-medium text-white"
      >
        Try again
      </button>
    </Shell>
  );
}
