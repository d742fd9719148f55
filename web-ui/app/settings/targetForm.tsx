'use client';
import type { FormEvent, ReactNode } from 'react';
import type { FieldError } from '../../lib/api';
import { Field, inputClass } from '../ui';

/** The kinds of event people ask to hear of, in words (the API takes the kinds). */
export const EVENT_KINDS = [
  { kind: 'certificate', label: 'Certificates (expiring, renewal failed)' },
  { kind: 'vrrp', label: 'Failover (takeovers, split brain)' },
  { kind: 'apply', label: 'Applies (a failed apply)' },
  { kind: 'sync', label: 'The peer (out of sync)' },
  { kind: 'agent', label: 'The agent (restarts, log lines lost)' },
] as const;

/** Which events a webhook or an email list hears of, and from which severity. */
function EventChoice({ fields }: { fields: FieldError[] }) {
  const kindsError = fields.find((x) => x.path === 'kinds')?.message;
  return (
    <>
      <fieldset className="text-sm">
        <legend className="font-medium">Events</legend>
        {EVENT_KINDS.map((k) => (
          <label key={k.kind} className="flex items-center gap-2">
            <input
              type="checkbox"
              name="kinds"
              value={k.kind}
              defaultChecked={k.kind !== 'agent'}
            />
            {k.label}
          </label>
        ))}
        {kindsError && <span className="block text-red-600 dark:text-red-400">{kindsError}</span>}
      </fieldset>
      <label className="block text-sm">
        <span className="font-medium">At least</span>
        <select name="minSeverity" defaultValue="warning" className={inputClass}>
          <option value="info">info</option>
          <option value="warning">warning</option>
          <option value="error">error</option>
        </select>
      </label>
    </>
  );
}

/** The chosen kinds and severity of a submitted form. */
export const eventChoiceOf = (f: FormData) => ({
  kinds: f.getAll('kinds').map(String) as (typeof EVENT_KINDS)[number]['kind'][],
  minSeverity: String(f.get('minSeverity') ?? 'warning') as 'info' | 'warning' | 'error',
});

/** Errors of the list entry at `prefix` (`webhooks[2].`), by the entry's own field names. */
export const errorsAt = (errors: FieldError[], prefix: string): FieldError[] =>
  errors
    .filter((x) => x.path.startsWith(prefix))
    .map((x) => ({ ...x, path: x.path.slice(prefix.length) }));

/**
 * The form that adds a webhook or an email list: its name, where it goes (`children`), which
 * events, and the button; the agent's errors under their fields.
 */
export function TargetForm(p: {
  label: string;
  button: string;
  fields: FieldError[];
  onSubmit: (e: FormEvent<HTMLFormElement>) => void;
  children: ReactNode;
}) {
  return (
    <form aria-label={p.label} onSubmit={p.onSubmit} className="grid gap-3 md:grid-cols-2">
      <Field name="name" label="Name" fields={p.fields} />
      {p.children}
      <EventChoice fields={p.fields} />
      <div className="md:col-span-2">
        <button className="rounded bg-indigo-600 px-3 py-1.5 font-medium text-white">
          {p.button}
        </button>
      </div>
    </form>
  );
}
