'use client';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type {
  NotificationSettingsInput,
  NotificationSettingsView,
  SmtpSettings,
  WebhookState,
} from '@tandem/core';
import { api, ApiError, type FieldError } from '../../lib/api';
import { Field, FormAlert } from '../ui';
import { errorsAt, eventChoiceOf, TargetForm } from './targetForm';
import { MailServerForm } from './mailServerForm';

const EMPTY: NotificationSettingsView = { webhooks: [], smtp: null, emails: [] };
const plain = 'rounded border border-slate-300 px-2 py-0.5 dark:border-slate-700';

/** The settings to PUT from what GET answered: the password stays out (the agent keeps it). */
function inputOf(v: NotificationSettingsView): NotificationSettingsInput {
  if (!v.smtp) return { ...v, smtp: null };
  const { host, port, security, from, username } = v.smtp;
  return { ...v, smtp: { host, port, security, from, ...(username ? { username } : {}) } };
}

/**
 * Notifications (issue 18): webhooks (JSON to a URL) and email lists (through the unit's mail
 * server) for chosen events, retried; a test sent on request answers whether the receiver took
 * it. Admins change them; everyone sees them.
 */
export function NotificationsSection(p: { admin: boolean; onNote: (text: string) => void }) {
  const [settings, setSettings] = useState<NotificationSettingsView>(EMPTY);
  const [states, setStates] = useState<WebhookState[]>([]);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    const r = await api<{ settings: NotificationSettingsView; webhooks: WebhookState[] }>(
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
  const save = (change: Partial<NotificationSettingsInput>, note: string) =>
    act(async () => {
      await api('PUT', '/v1/notifications', { ...inputOf(settings), ...change });
      return note;
    });
  /** A form that adds one entry to `list`; cleared only once taken (a refused one stays). */
  const adder =
    (list: 'webhooks' | 'emails', entry: (f: FormData) => { name: string }) =>
    (e: FormEvent<HTMLFormElement>) => {
      e.preventDefault();
      const form = e.currentTarget;
      const added = entry(new FormData(form));
      const label = list === 'webhooks' ? 'Webhook' : 'Email list';
      void save({ [list]: [...settings[list], added] }, `${label} ${added.name} added.`).then(
        (ok) => {
          if (ok) form.reset();
        },
      );
    };
  const addWebhook = adder('webhooks', (f) => ({
    name: String(f.get('name') ?? ''),
    url: String(f.get('url') ?? ''),
    ...eventChoiceOf(f),
  }));
  const addEmail = adder('emails', (f) => ({
    name: String(f.get('name') ?? ''),
    to: String(f.get('to') ?? '')
      .split(/[,\s]+/)
      .filter(Boolean),
    ...eventChoiceOf(f),
  }));
  // A new entry is the last of its list: its errors come back as webhooks[N].field.
  const webhookErrors = errorsAt(errors, `webhooks[${settings.webhooks.length}].`);
  const emailErrors = errorsAt(errors, `emails[${settings.emails.length}].`).map((x) => ({
    ...x,
    path: x.path.replace(/^to\[\d+\]$/, 'to'),
  }));
  const targets = [
    ...settings.webhooks.map((w) => ({ ...w, list: 'webhooks' as const, where: w.url })),
    ...settings.emails.map((t) => ({ ...t, list: 'emails' as const, where: t.to.join(', ') })),
  ];

  return (
    <section
      id="notifications"
      aria-label="Notifications"
      className="rounded-lg border border-slate-200 bg-white p-4 md:col-span-2 dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 className="mb-1 text-lg font-medium">Notifications</h2>
      <p className="mb-3 text-slate-500 dark:text-slate-400">
        Events sent as JSON to a URL of yours (chat, paging, your own service) or by email, retried
        for about half a minute when the receiver does not answer.
      </p>
      {targets.length > 0 && (
        <ul
          data-testid="webhook-list"
          className="mb-4 divide-y divide-slate-100 dark:divide-slate-800"
        >
          {targets.map((t) => {
            const s = states.find((x) => x.name === t.name);
            return (
              <li key={t.name} className="flex flex-wrap items-center gap-x-4 gap-y-1 py-2">
                <span className="font-medium">{t.name}</span>
                <span className="break-all text-slate-600 dark:text-slate-400">
                  {t.list === 'emails' ? `email to ${t.where}` : t.where}
                </span>
                <span className="text-xs text-slate-500 dark:text-slate-400">
                  {t.kinds.join(', ')} from {t.minSeverity}; {s?.delivered ?? 0} delivered,{' '}
                  {s?.failed ?? 0} failed{s?.lastError ? ` (last: ${s.lastError})` : ''}
                </span>
                {p.admin && (
                  <span className="ml-auto flex gap-1">
                    <button
                      className={plain}
                      onClick={() =>
                        void act(async () => {
                          await api(
                            'POST',
                            `/v1/notifications/${encodeURIComponent(t.name)}/test`,
                            {},
                          );
                          return `A test reached ${t.name}.`;
                        })
                      }
                    >
                      Send a test
                    </button>
                    <button
                      className={plain}
                      onClick={() =>
                        void save(
                          t.list === 'webhooks'
                            ? { webhooks: settings.webhooks.filter((x) => x.name !== t.name) }
                            : { emails: settings.emails.filter((x) => x.name !== t.name) },
                          `${t.name} removed.`,
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
        <>
          <TargetForm
            label="Add a webhook"
            button="Add webhook"
            fields={webhookErrors}
            onSubmit={addWebhook}
          >
            <Field name="url" label="URL (http:// or https://)" fields={webhookErrors} />
          </TargetForm>
          <h3 className="mb-2 mt-6 font-medium">Email</h3>
          <MailServerForm
            key={JSON.stringify(settings.smtp)}
            smtp={settings.smtp}
            fields={errorsAt(errors, 'smtp.')}
            onSave={(smtp: SmtpSettings) => void save({ smtp }, 'Mail server saved.')}
          />
          {settings.smtp ? (
            <TargetForm
              label="Add an email list"
              button="Add email list"
              fields={emailErrors}
              onSubmit={addEmail}
            >
              <Field name="to" label="To (addresses, comma-separated)" fields={emailErrors} />
            </TargetForm>
          ) : (
            <p className="text-sm text-slate-500 dark:text-slate-400">
              Save a mail server to send events by email.
            </p>
          )}
        </>
      )}
      <FormAlert text={error} />
    </section>
  );
}
