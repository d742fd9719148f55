import type { FieldError } from '../../lib/api';

/** Backup (download the whole history) and restore (validated, as a new generation). */
export function BackupSection(p: {
  admin: boolean;
  errors: FieldError[];
  onRestore: (file: File | undefined) => void;
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
