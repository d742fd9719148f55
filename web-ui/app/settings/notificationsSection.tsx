'use client';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { NotificationSettings, WebhookState } from '@tandem/core';
import { api, ApiError, type FieldError } from '../../lib/api';
import { Field, FormAlert, inputClass } from '../ui';

/** The kinds of event people ask to hear of, in words (the API takes the kinds). */
const KINDS = [
  { kind: 'certificate', label: 'Certificates (expiring, renewal failed)' },
  { kind: 'vrrp', label: 'Failover (takeovers, split brain)' },
  { kind: 'apply', label: 'Applies (a failed apply)' },
  { kind: 'sync', label: 'The peer (out of sync)' },
  { kind: 'agent', label: 'The agent (restarts, log lines lost)' },
] as const;

/**
 * Webhooks (issue 18): which events go where, each POSTed as JSON and retried; a test sent on
 * request answers whether the receiver took it. Admins change them; everyone sees them.
 */
export function NotificationsSection(p: { admin: boolean; onNote: (text: string) => void }) {
  const [settings, setSettings] = useState<NotificationSettings>({ webhooks: [] });
  const [states, setStates] = useState<WebhookState[]>([]);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    const r = await api<{ settings: NotificationSettings; webhooks: WebhookState[] }>(
      'GET',
      '/v1/notifications',
    );
    setSettings(r.settings);
    setStates(r.webhooks);
  }, []);
  useEffect(() => void load(), [load]);

  /** Runs one change; its note, or its errors by the fields. Answers whether it worked. */
  const act = async (what: () => Promise<string>): Promise<boolean> => {
    let ok = false;
    try {
      p.onNote(await what());
      setErrors([]);
      setError(null);
      ok = true;
    } catch (e) {
      setErrors(e instanceof ApiError ? e.fields : []);
      setError(e instanceof ApiError ? e.message : 'the unit did not answer');
    }
    await load();
    return ok;
  };
  const save = (webhooks: NotificationSettings['webhooks'], note: string) =>
    act(async () => {
      await api('PUT', '/v1/notifications', { webhooks });
      return note;
    });
  const add = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const name = String(f.get('name') ?? '');
    const hook = {
      name,
      url: String(f.get('url') ?? ''),
      kinds: f.getAll('kinds').map(String) as NotificationSettings['webhooks'][number]['kinds'],
      minSeverity: String(f.get('minSeverity') ?? 'warning') as 'info' | 'warning' | 'error',
    };
    // Cleared only once taken: a refused one stays, to be corrected.
    void save([...settings.webhooks, hook], `Webhook ${name} added.`).then((ok) => {
      if (ok) form.reset();
    });
  };
  // The new webhook is the last in the list: its errors come back as webhooks[N].field.
  const at = settings.webhooks.length;
  const fieldErrors = errors
    .filter((x) => x.path.startsWith(`webhooks[${at}].`))
    .map((x) => ({ ...x, path: x.path.slice(`webhooks[${at}].`.length) }));

  return (
    <section
      id="notifications"
      aria-label="Notifications"
      className="rounded-lg border border-slate-200 bg-white p-4 md:col-span-2 dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 className="mb-1 text-lg font-medium">Notifications</h2>
      <p className="mb-3 text-slate-500 dark:text-slate-400">
        Events sent as JSON to a URL of yours (chat, paging, your own service), retried for about
        half a minute when it does not answer.
      </p>
      {settings.webhooks.length > 0 && (
        <ul
          data-testid="webhook-list"
          className="mb-4 divide-y divide-slate-100 dark:divide-slate-800"
        >
          {settings.webhooks.map((w) => {
            const s = states.find((x) => x.name === w.name);
            return (
              <li key={w.name} className="flex flex-wrap items-center gap-x-4 gap-y-1 py-2">
                <span className="font-medium">{w.name}</span>
                <span className="break-all text-slate-600 dark:text-slate-400">{w.url}</span>
                <span className="text-xs text-slate-500 dark:text-slate-400">
                  {w.kinds.join(', ')} from {w.minSeverity}; {s?.delivered ?? 0} delivered,{' '}
                  {s?.failed ?? 0} failed{s?.lastError ? ` (last: ${s.lastError})` : ''}
                </span>
                {p.admin && (
                  <span className="ml-auto flex gap-1">
                    <button
                      className="rounded border border-slate-300 px-2 py-0.5 dark:border-slate-700"
                      onClick={() =>
                        void act(async () => {
                          await api(
                            'POST',
                            `/v1/notifications/${encodeURIComponent(w.name)}/test`,
                            {},
                          );
                          return `A test reached ${w.name}.`;
                        })
                      }
                    >
                      Send a test
                    </button>
                    <button
                      className="rounded border border-slate-300 px-2 py-0.5 dark:border-slate-700"
                      onClick={() =>
                        void save(
                          settings.webhooks.filter((x) => x.name !== w.name),
                          `Webhook ${w.name} removed.`,
                        )
                      }
                    >
                      Remove
                    </button>
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {p.admin && (
        <form aria-label="Add a webhook" onSubmit={add} className="grid gap-3 md:grid-cols-2">
          <Field name="name" label="Name" fields={fieldErrors} />
          <Field name="url" label="URL (http:// or https://)" fields={fieldErrors} />
          <fieldset className="text-sm">
            <legend className="font-medium">Events</legend>
            {KINDS.map((k) => (
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
            {fieldErrors.find((x) => x.path === 'kinds') && (
              <span className="block text-red-600 dark:text-red-400">
                {fieldErrors.find((x) => x.path === 'kinds')?.message}
              </span>
            )}
          </fieldset>
          <label className="block text-sm">
            <span className="font-medium">At least</span>
            <select name="minSeverity" defaultValue="warning" className={inputClass}>
              <option value="info">info</option>
              <option value="warning">warning</option>
              <option value="error">error</option>
            </select>
          </label>
          <div className="md:col-span-2">
            <button className="rounded bg-indigo-600 px-3 py-1.5 font-medium text-white">
              Add webhook
            </button>
          </div>
        </form>
      )}
      <FormAlert text={error} />
    </section>
  );
}
