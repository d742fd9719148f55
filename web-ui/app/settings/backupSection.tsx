import type { EditPreview } from '@tandem/core';
import type { FieldError } from '../../lib/api';
import { DiffView } from '../applyPanel';

/** A backup file read and checked, waiting for the operator's yes. */
export interface PendingRestore {
  name: string;
  body: { base: number | null; backup: unknown };
  preview: EditPreview;
}

/** Backup (download the whole history) and restore (validated, as a new generation). */
export function BackupSection(p: {
  admin: boolean;
  errors: FieldError[];
  onRestore: (file: File | undefined) => void;
  pending: PendingRestore | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { admin, errors } = p;
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 md:col-span-2 dark:border-slate-800 dark:bg-slate-900">
      <h2 className="mb-3 text-lg font-medium">Backup and restore</h2>
      <p className="mb-3 text-slate-500 dark:text-slate-400">
        The whole configuration history in one file (no users, no passwords). Restoring checks the
        file like any change and adds it as a new generation.
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <a
          href="/api/v1/backup"
          download="tandem-backup.json"
          className="rounded border border-slate-300 px-3 py-1.5 dark:border-slate-700"
        >
          Download backup
        </a>
        {admin && (
          <label className="rounded border border-slate-300 px-3 py-1.5 dark:border-slate-700">
            Restore from a file…
            <input
              type="file"
              accept="application/json,.json"
              name="restore"
              className="sr-only"
              onChange={(e) => p.onRestore(e.target.files?.[0])}
            />
          </label>
        )}
      </div>
      {p.pending && (
        <div
          role="dialog"
          aria-label="Confirm the restore"
          className="mt-3 rounded border border-amber-300 bg-amber-50 p-3 dark:border-amber-800 dark:bg-amber-950"
        >
          <p className="mb-2 font-medium">
            Restore {p.pending.name}? It becomes the desired configuration (not live until you apply
            it). What it changes in the configuration:
          </p>
          <DiffView text={p.pending.preview.config} />
          <p className="my-2">And in the HAProxy configuration that would run:</p>
          <DiffView text={p.pending.preview.haproxy} />
          <div className="mt-3 flex gap-2">
            <button
              onClick={p.onConfirm}
              className="rounded bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-500"
            >
              Restore
            </button>
            <button
              onClick={p.onCancel}
              className="rounded border border-slate-300 px-3 py-1.5 dark:border-slate-700"
            >
              Cancel
            </button>
          </div>
        </div>
      )}
      {errors
        .filter((e) => e.path.startsWith('backup'))
        .map((e) => (
          <p key={e.path} className="mt-2 text-red-600 dark:text-red-400">
            {e.path}: {e.message}
          </p>
        ))}
    </section>
  );
}
