'use client';
import type { FormEvent } from 'react';
import type { NotificationSettingsView, SmtpSettings } from '@tandem/core';
import type { FieldError } from '../../lib/api';
import { Field, inputClass } from '../ui';

type Smtp = NotificationSettingsView['smtp'];

/**
 * The mail server notifications go through: host, port, STARTTLS or TLS (the server's
 * certificate checked) or none for a relay on the unit's network, the sender, and a user and
 * password when the server asks. The password is never shown: left empty, the kept one stays.
 */
export function MailServerForm(p: {
  smtp: Smtp;
  fields: FieldError[];
  onSave: (smtp: SmtpSettings) => void;
}) {
  const s = p.smtp;
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? '').trim();
    p.onSave({
      host: text('host'),
      port: Number(text('port') || '587'),
      security: text('security') as SmtpSettings['security'],
      from: text('from'),
      ...(text('username') ? { username: text('username') } : {}),
      ...(text('password') ? { password: String(f.get('password')) } : {}),
    });
  };
  const securityError = p.fields.find((x) => x.path === 'security')?.message;
  return (
    <form
      aria-label="Mail server"
      onSubmit={submit}
      className="mb-4 grid gap-3 rounded border border-slate-200 p-3 md:grid-cols-3 dark:border-slate-800"
    >
      <h3 className="font-medium md:col-span-3">Mail server (SMTP)</h3>
      <Field name="host" label="Host" defaultValue={s?.host} fields={p.fields} />
      <Field name="port" label="Port" defaultValue={String(s?.port ?? 587)} fields={p.fields} />
      <label className="block text-sm">
        <span className="font-medium">Security</span>
        <select name="security" defaultValue={s?.security ?? 'starttls'} className={inputClass}>
          <option value="starttls">STARTTLS (587)</option>
          <option value="tls">TLS (465)</option>
          <option value="none">none (a relay on this network, no password)</option>
        </select>
        {securityError && (
          <span className="mt-1 block text-red-600 dark:text-red-400">{securityError}</span>
        )}
      </label>
      <Field name="from" label="From" defaultValue={s?.from} fields={p.fields} />
      <Field
        name="username"
        label="User name (if the server asks)"
        defaultValue={s?.username}
        fields={p.fields}
        required={false}
      />
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        placeholder={s?.passwordSet ? 'kept (type to change)' : ''}
        fields={p.fields}
        required={false}
      />
      <div className="md:col-span-3">
        <button className="rounded bg-indigo-600 px-3 py-1.5 font-medium text-white">
          Save mail server
        </button>
      </div>
    </form>
  );
}
