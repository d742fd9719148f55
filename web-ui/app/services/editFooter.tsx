'use client';
import { formatDuration, type EditPreview } from '@tandem/core';
import { DiffView } from '../applyPanel';

/**
 * The end of an edit form: what went wrong (with the fields the form cannot place), the preview
 * of haproxy.cfg against what runs, and the Preview / Save / Cancel buttons.
 */
export function EditFooter(p: {
  saveLabel: string;
  busy: boolean;
  message: string | null;
  /** Errors the form cannot place by a field; `href`: where the model reference explains it. */
  unplaced: { text: string; href?: string | null }[];
  preview: EditPreview | null;
  onPreview: () => void;
  onCancel: () => void;
}) {
  return (
    <>
      {p.message && (
        <div role="alert" className="mt-4 text-sm text-red-700 dark:text-red-400">
          {p.message}
          {p.unplaced.map((f) => (
            <div key={f.text}>
              {f.text}
              {f.href && (
                <>
                  {' '}
                  <a
                    href={f.href}
                    target="_blank"
                    rel="noopener"
                    className="text-indigo-700 underline dark:text-indigo-300"
                  >
                    (reference)
                  </a>
                </>
              )}
            </div>
          ))}
        </div>
      )}
      {p.preview && (
        <section aria-label="Preview" className="mt-4">
          <h4 className="mb-1 text-sm font-medium">
            haproxy.cfg: the running generation → this change (nothing is saved yet)
          </h4>
          <DiffView text={p.preview.haproxy} />
          {p.preview.reload.openConnections ? (
            <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">
              Applying it reloads HAProxy: the {p.preview.reload.openConnections} connection(s) open
              now finish on the previous worker, for up to{' '}
              {formatDuration(p.preview.reload.graceMs)}.
            </p>
          ) : null}
        </section>
      )}
      <div className="mt-4 flex flex-wrap gap-2">
        <button
          disabled={p.busy}
          className="rounded bg-indigo-600 px-4 py-2 text-sm font-medium text-white disabled:opacity-50"
        >
          {p.saveLabel}
        </button>
        <button
          type="button"
          disabled={p.busy}
          onClick={p.onPreview}
          className="rounded border border-slate-300 px-4 py-2 text-sm dark:border-slate-700"
        >
          Preview haproxy.cfg
        </button>
        <button
          type="button"
          onClick={p.onCancel}
          className="rounded border border-slate-300 px-4 py-2 text-sm dark:border-slate-700"
        >
          Cancel
        </button>
      </div>
    </>
  );
}
