'use client';
import type { FormEvent } from 'react';
import type { NotificationSettingsView, SmtpSettings } from '@tandem/core';
import type { FieldError } from '../../lib/api';
import { inputClass } from '../ui';

type Smtp = NotificationSettingsView['smtp'];

/** One input of the mail server form, with its error from the agent under it. */
function Input(p: {
  name: keyof SmtpSettings;
  label: string;
  value: string | undefined;
  fields: FieldError[];
  type?: string;
  placeholder?: string;
  required?: boolean;
}) {
  const error = p.fields.find((x) => x.path === p.name)?.message;
  return (
    <label className="block text-sm">
      <span className="font-medium">{p.label}</span>
      <input
        name={p.name}
        type={p.type ?? 'text'}
        defaultValue={p.value}
        placeholder={p.placeholder}
        required={p.required}
        autoComplete={p.type === 'password' ? 'new-password' : 'off'}
        aria-invalid={error ? true : undefined}
        className={inputClass}
      />
      {error && <span className="mt-1 block text-red-600 dark:text-red-400">{error}</span>}
    </label>
  );
}

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
      <Input name="host" label="Host" value={s?.host} fields={p.fields} required />
      <Input name="port" label="Port" value={String(s?.port ?? 587)} fields={p.fields} />
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
      <Input name="from" label="From" value={s?.from} fields={p.fields} required />
      <Input
        name="username"
        label="User name (if the server asks)"
        value={s?.username}
        fields={p.fields}
      />
      <Input
        name="password"
        label="Password"
        type="password"
        value=""
        placeholder={s?.passwordSet ? 'kept (type to change)' : ''}
        fields={p.fields}
      />
      <div className="md:col-span-3">
        <button className="rounded bg-indigo-600 px-3 py-1.5 font-medium text-white">
          Save mail server
        </button>
      </div>
    </form>
  );
}
