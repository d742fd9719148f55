'use client';
import { Loading } from '../loadingScreen';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, type FieldError } from '../../lib/api';
import { Nav } from '../nav';
import { Field, inputClass, PAGE_FRAME } from '../ui';
import { Note } from '../note';
import { useSession } from '../useSession';
import { BackupSection, type PendingRestore } from './backupSection';
import { CertificateSection } from './certificateSection';
import { CertificateStoreSection } from './certificateStoreSection';
import type { CertificateInfo, EditPreview, SessionInfo, SystemInfo } from '@tandem/core';
import { NetworkSection } from './networkSection';
import { NotificationsSection } from './notificationsSection';
import { ResolverSection } from './resolverSection';
import { SshKeysSection } from './sshKeysSection';
import { SystemSection } from './systemSection';
import { TwoFactorSection } from './twoFactorSection';

interface User {
  name: string;
  role: string;
  createdAt: number;
  twoFactor: boolean;
}
/** Users and roles, your password, and what this unit runs on. */
export default function SettingsPage() {
  const first = useSession();
  // Asked again after a change to two-factor sign-in (the header's notice may no longer hold).
  const [fresh, setFresh] = useState<SessionInfo | null>(null);
  const session = fresh ?? first;
  const refreshSession = () =>
    void api<SessionInfo>('GET', '/v1/auth/session').then(setFresh, () => undefined);
  const [users, setUsers] = useState<User[]>([]);
  const [system, setSystem] = useState<SystemInfo | null>(null);
  const [cert, setCert] = useState<CertificateInfo | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [pending, setPending] = useState<PendingRestore | null>(null);
  const load = useCallback(async () => {
    setUsers(await api<User[]>('GET', '/v1/auth/users'));
    setSystem(await api<SystemInfo>('GET', '/v1/system'));
    setCert(await api<CertificateInfo>('GET', '/v1/console/certificate'));
  }, []);
  useEffect(() => {
    if (session) void load();
  }, [session, load]);

  const fail = (e: unknown) => {
    setNote(e instanceof ApiError ? e.message : 'the unit did not answer');
    setErrors(e instanceof ApiError ? e.fields : []);
  };
  const addUser = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    try {
      await api('POST', '/v1/auth/users', {
        name: f.get('name'),
        role: f.get('role'),
        password: f.get('password'),
      });
      setNote(`User ${String(f.get('name'))} added.`);
      setErrors([]);
      form.reset();
      await load();
    } catch (err) {
      fail(err);
    }
  };
  const removeTwoFactor = async (name: string) => {
    try {
      await api('DELETE', `/v1/auth/users/${encodeURIComponent(name)}/two-factor`);
      setNote(
        `${name}'s two-factor sign-in removed: they sign in with the password and set it up again.`,
      );
      await load();
    } catch (err) {
      fail(err);
    }
  };
  const remove = async (name: string) => {
    try {
      await api('DELETE', `/v1/auth/users/${encodeURIComponent(name)}`);
      setNote(`User ${name} removed.`);
      await load();
    } catch (err) {
      fail(err);
    }
  };
  const changePassword = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    try {
      await api('POST', '/v1/auth/password', { current: f.get('current'), next: f.get('next') });
      setNote('Password changed; your other sessions ended.');
      setErrors([]);
      form.reset();
    } catch (err) {
      fail(err);
    }
  };
  /** A chosen backup file: first what restoring it would change, then a confirmation. */
  const restore = async (file: File | undefined) => {
    if (!file) return;
    try {
      const backup = JSON.parse(await file.text()) as unknown;
      const status = await api<{ desired: number | null }>('GET', '/v1/status');
      const body = { base: status.desired, backup };
      const r = await api<{ preview: EditPreview }>('POST', '/v1/restore?dryRun=true', body);
      setPending({ name: file.name, body, preview: r.preview });
      setErrors([]);
    } catch (e) {
      if (e instanceof SyntaxError) setNote('That file is not a Tandem backup (not JSON).');
      else fail(e);
    }
  };
  const confirmRestore = async () => {
    if (!pending) return;
    try {
      const r = await api<{ generation: { number: number } }>('POST', '/v1/restore', pending.body);
      setNote(
        `Restored as generation ${r.generation.number}: review and apply it on the History page.`,
      );
      setErrors([]);
    } catch (e) {
      fail(e);
    }
    setPending(null);
  };
  const upload = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    try {
      setCert(
        await api<CertificateInfo>('POST', '/v1/console/certificate', {
          certificate: f.get('certificate'),
          key: f.get('key'),
        }),
      );
      setNote('Certificate installed: new connections use it now.');
      setErrors([]);
      form.reset();
    } catch (err) {
      fail(err);
    }
  };
  const err = (path: string) => errors.find((x) => x.path === path)?.message;

  if (!session) return <Loading />;
  const admin = session.role === 'admin';
  return (
    <div className={`${PAGE_FRAME} text-sm`}>
      <Nav session={session} unit={system?.unit} />
      <Note text={note} />
      <div className="grid gap-6 md:grid-cols-2">
        <section className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
          <h2 className="mb-3 text-lg font-medium">Users</h2>
          <ul className="mb-4 divide-y divide-slate-100 dark:divide-slate-800">
            {users.map((u) => (
              <li key={u.name} className="flex items-center gap-2 py-1.5">
                <span className="font-medium">{u.name}</span>
                <span className="text-slate-500 dark:text-slate-400">{u.role}</span>
                {u.twoFactor && (
                  <span
                    title="Signs in with two-factor"
                    className="rounded bg-emerald-100 px-1.5 text-xs text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200"
                  >
                    2FA
                  </span>
                )}
                {admin && u.name !== session.user && (
                  <span className="ml-auto flex gap-1">
                    {u.twoFactor && (
                      <button
                        onClick={() => void removeTwoFactor(u.name)}
                        aria-label={`Remove ${u.name}'s two-factor sign-in`}
                        className="rounded border border-slate-300 px-2 py-0.5 dark:border-slate-700"
                      >
                        Remove 2FA
                      </button>
                    )}
                    <button
                      onClick={() => void remove(u.name)}
                      className="rounded border border-slate-300 px-2 py-0.5 dark:border-slate-700"
                    >
                      Remove
                    </button>
                  </span>
                )}
              </li>
            ))}
          </ul>
          {admin && (
            <form aria-label="Add a user" onSubmit={(e) => void addUser(e)} className="space-y-2">
              <Field name="name" label="Name" fields={errors} />
              <label className="block">
                Role
                <select name="role" className={inputClass}>
                  <option value="read-only">read-only</option>
                  <option value="admin">admin</option>
                </select>
              </label>
              <Field
                name="password"
                label="Password"
                type="password"
                autoComplete="new-password"
                fields={errors}
              />
              <button className="rounded bg-indigo-600 px-3 py-1.5 font-medium text-white">
                Add user
              </button>
            </form>
          )}
        </section>
        <div className="space-y-6">
          <section className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
            <h2 className="mb-3 text-lg font-medium">Your password</h2>
            <form
              aria-label="Change your password"
              onSubmit={(e) => void changePassword(e)}
              className="space-y-2"
            >
              <Field
                name="current"
                label="Current password"
                type="password"
                autoComplete="current-password"
                fields={errors}
              />
              <Field
                name="next"
                label="New password (12 characters or more)"
                type="password"
                autoComplete="new-password"
                fields={errors}
              />
              <button className="rounded bg-indigo-600 px-3 py-1.5 font-medium text-white">
                Change password
              </button>
            </form>
          </section>
          <TwoFactorSection
            session={session}
            onNote={setNote}
            onChange={() => {
              refreshSession();
              void load();
            }}
          />
        </div>
        <NetworkSection admin={admin} onNote={setNote} />
        <ResolverSection admin={admin} onNote={setNote} />
        <SshKeysSection session={session} onNote={setNote} />
        <CertificateStoreSection admin={admin} onNote={setNote} />
        <NotificationsSection admin={admin} onNote={setNote} />
        <CertificateSection cert={cert} admin={admin} err={err} onUpload={(e) => void upload(e)} />
        <BackupSection
          admin={admin}
          errors={errors}
          onRestore={(f) => void restore(f)}
          pending={pending}
          onConfirm={() => void confirmRestore()}
          onCancel={() => setPending(null)}
        />
        {system && <SystemSection system={system} />}
      </div>
    </div>
  );
}
