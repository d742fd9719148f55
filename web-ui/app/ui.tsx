import type { ReactNode } from 'react';
import type { FieldError } from '../lib/api';

/** Every signed-in page's frame: one width for the whole console. */
export const PAGE_FRAME = 'mx-auto max-w-6xl p-4 sm:p-6';

/** The look of a text input, select or textarea in the console's forms. */
export const inputClass =
  'mt-1 block w-full rounded border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-700 dark:bg-slate-800';

/** A centred card for the sign-in pages. */
export function Shell({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle: string;
  children: ReactNode;
}) {
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <h1 className="text-xl font-semibold">{title}</h1>
        <p className="mb-6 mt-1 text-sm text-slate-500 dark:text-slate-400">{subtitle}</p>
        {children}
      </div>
    </main>
  );
}

/** A labelled input with the agent's error for this field, if any, right under it. */
export function Field(p: {
  name: string;
  label: string;
  type?: string;
  autoComplete?: string;
  fields: FieldError[];
  defaultValue?: string;
  placeholder?: string;
  /** Required unless said otherwise. */
  required?: boolean;
}) {
  const error = p.fields.find((f) => f.path === p.name)?.message;
  return (
    <label className="block text-sm">
      <span className="font-medium">{p.label}</span>
      <input
        name={p.name}
        type={p.type ?? 'text'}
        autoComplete={p.autoComplete}
        defaultValue={p.defaultValue}
        placeholder={p.placeholder}
        aria-invalid={error ? true : undefined}
        required={p.required ?? true}
        className="mt-1 block w-full rounded border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-800"
      />
      {error && <span className="mt-1 block text-red-600 dark:text-red-400">{error}</span>}
    </label>
  );
}

/** A table of the console's look: its column headings, then the rows given. */
export function DataTable(p: { label?: string; headers: readonly string[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto">
      <table
        aria-label={p.label}
        className="w-full rounded border border-slate-200 text-left text-sm dark:border-slate-800"
      >
        <thead className="bg-slate-100 text-xs uppercase text-slate-500 dark:text-slate-400 dark:bg-slate-900">
          <tr>
            {p.headers.map((h) => (
              <th key={h} className="px-3 py-2">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200 bg-white dark:divide-slate-800 dark:bg-slate-950">
          {p.children}
        </tbody>
      </table>
    </div>
  );
}

/** What went wrong with a form, under it (role=alert: screen readers say it at once). */
export function FormAlert({ text, small = false }: { text: string | null; small?: boolean }) {
  if (!text) return null;
  return (
    <p role="alert" className={`${small ? 'text-sm ' : ''}text-red-600 dark:text-red-400`}>
      {text}
    </p>
  );
}

/**
 * The second factor's code: what an authenticator app shows, or a recovery code (letters too,
 * so the keyboard is not a number pad). Password managers fill it as a one-time code.
 */
export function CodeField({ error, autoFocus = false }: { error?: string; autoFocus?: boolean }) {
  return (
    <label className="block text-sm">
      <span className="font-medium">Code from your authenticator app (or a recovery code)</span>
      <input
        name="code"
        autoComplete="one-time-code"
        inputMode="text"
        autoFocus={autoFocus}
        aria-invalid={error ? true : undefined}
        required
        className="mt-1 block w-full rounded border border-slate-300 bg-white px-3 py-2 tracking-widest dark:border-slate-700 dark:bg-slate-800"
      />
      {error && <span className="mt-1 block text-red-600 dark:text-red-400">{error}</span>}
    </label>
  );
}
