import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventRow } from '@tandem/core';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../adapters/atomicFiles.js';
import { MailError } from '../adapters/sendMail.js';
import { createNotifications } from './notifications.js';

let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const event = (o: Partial<EventRow>): EventRow => ({
  id: 1,
  at: 0,
  kind: 'certificate',
  severity: 'warning',
  subject: 'certificate shop',
  message: 'certificate shop expires in 9 days',
  ...o,
});

async function world(answers: (number | Error)[], mailAnswers: (Error | null)[] = []) {
  dir = await mkdtemp(join(tmpdir(), 'tandem-notify-'));
  const posts: { url: string; body: unknown }[] = [];
  const mails: { smtp: unknown; to: readonly string[]; subject: string; text: string }[] = [];
  const waits: number[] = [];
  const n = createNotifications({
    stateFile: join(dir, 'notifications.json'),
    write: writeFileAtomic,
    post: async (url, body) => {
      posts.push({ url, body });
      const a = answers.shift() ?? 200;
      if (a instanceof Error) throw a;
      return a;
    },
    mail: async (smtp, m) => {
      mails.push({ smtp, ...m });
      const a = mailAnswers.shift() ?? null;
      if (a) throw a;
    },
    unit: 'lb1',
    now: () => 0,
    log: () => undefined,
    sleep: async (ms) => void waits.push(ms),
  });
  await n.setSettings({
    webhooks: [
      { name: 'ops', url: 'http://198.18.0.9/hook', kinds: ['certificate', 'vrrp'] },
      { name: 'all', url: 'http://198.18.0.9/all', kinds: ['apply'], minSeverity: 'info' },
    ],
  });
  return { n, posts, waits, mails };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('webhook notifications', () => {
  it('sends the events asked for, at or above the severity, as JSON', async () => {
    const w = await world([]);
    w.n.onEvent(event({}));
    w.n.onEvent(event({ severity: 'info' }));
    w.n.onEvent(event({ kind: 'login' }));
    w.n.onEvent(event({ kind: 'apply', severity: 'info', message: 'generation 3 is running' }));
    await settle();
    expect(w.posts).toEqual([
      {
        url: 'http://198.18.0.9/hook',
        body: {
          unit: 'lb1',
          event: {
            at: '1970-01-01T00:00:00.000Z',
            kind: 'certificate',
            severity: 'warning',
            subject: 'certificate shop',
            message: 'certificate shop expires in 9 days',
          },
        },
      },
      expect.objectContaining({ url: 'http://198.18.0.9/all' }),
    ]);
  });

  it('retries a failing receiver with growing waits, not one that says no', async () => {
    const w = await world([503, new Error('ECONNREFUSED'), 200]);
    w.n.onEvent(event({}));
    for (let i = 0; i < 10; i++) await settle();
    expect(w.posts).toHaveLength(3);
    expect(w.waits).toEqual([1_000, 2_000]);
    expect(w.n.status()[0]).toMatchObject({ name: 'ops', delivered: 1, failed: 0 });
    const no = await world([404]);
    no.n.onEvent(event({}));
    for (let i = 0; i < 10; i++) await settle();
    expect(no.posts).toHaveLength(1);
    expect(no.n.status()[0]).toMatchObject({ failed: 1, lastError: 'answered 404' });
  });

  it('refuses settings that are not ones, naming the field; tests one webhook at once', async () => {
    const w = await world([500]);
    await expect(
      w.n.setSettings({ webhooks: [{ name: 'x', url: 'ftp://a', kinds: [] }] }),
    ).rejects.toMatchObject({
      fields: [
        { path: 'webhooks[0].url', message: 'must be an http:// or https:// URL' },
        { path: 'webhooks[0].kinds', message: 'must name at least one kind of event' },
      ],
    });
    await expect(w.n.test('ops')).rejects.toMatchObject({ message: 'webhook ops: answered 500' });
    await expect(w.n.test('ops')).resolves.toEqual({ delivered: true });
    await expect(w.n.test('nope')).rejects.toMatchObject({ code: 'not_found' });
  });
});

const smtp = {
  host: 'mail.example.org',
  port: 587,
  security: 'starttls' as const,
  from: 'lb1@example.org',
  username: 'lb1',
};

describe('email notifications', () => {
  it('mails the events asked for; retries what may pass later, not what the server refused', async () => {
    const w = await world(
      [],
      [new MailError('connection timed out', false), null, new MailError('550 no such user', true)],
    );
    await w.n.setSettings({
      webhooks: [],
      smtp: { ...smtp, password: 'secret' },
      emails: [{ name: 'oncall', to: ['ops@example.org'], kinds: ['vrrp'], minSeverity: 'error' }],
    });
    w.n.onEvent(
      event({ kind: 'vrrp', severity: 'error', subject: 'instance edge', message: 'two masters' }),
    );
    w.n.onEvent(event({ kind: 'vrrp', severity: 'warning' }));
    for (let i = 0; i < 10; i++) await settle();
    expect(w.mails).toHaveLength(2);
    expect(w.mails[1]).toMatchObject({
      to: ['ops@example.org'],
      subject: '[lb1] error: instance edge',
      text: expect.stringMatching(/^two masters\n\nunit: +lb1\nkind: +vrrp/),
      smtp: { password: 'secret' },
    });
    expect(w.waits).toEqual([1_000]);
    await expect(w.n.test('oncall')).rejects.toMatchObject({
      message: 'email list oncall: 550 no such user',
    });
    expect(w.n.status()).toEqual([
      { name: 'oncall', delivered: 1, failed: 1, lastError: '550 no such user' },
    ]);
  });

  it('never answers the password back, keeps it when not sent, and asks for it when it has none', async () => {
    const w = await world([]);
    const view = await w.n.setSettings({ webhooks: [], smtp: { ...smtp, password: 'secret' } });
    expect(view.smtp).toEqual({ ...smtp, passwordSet: true });
    expect(JSON.stringify(w.n.settings())).not.toContain('secret');
    await w.n.setSettings({
      webhooks: [],
      smtp,
      emails: [{ name: 'oncall', to: ['ops@example.org'], kinds: ['vrrp'] }],
    });
    await w.n.test('oncall');
    expect(w.mails[0]?.smtp).toMatchObject({ password: 'secret' });
    // Another user name: the kept password is not theirs.
    await expect(
      w.n.setSettings({ webhooks: [], smtp: { ...smtp, username: 'other' } }),
    ).rejects.toMatchObject({
      fields: [{ path: 'smtp.password', message: 'is required with a user name' }],
    });
  });

  it('refuses a password in clear, email without a server, and addresses that are not ones', async () => {
    const w = await world([]);
    await expect(
      w.n.setSettings({ webhooks: [], smtp: { ...smtp, security: 'none', password: 'x' } }),
    ).rejects.toMatchObject({
      fields: [
        { path: 'smtp.security', message: 'a password cannot go in clear: choose starttls or tls' },
      ],
    });
    await expect(
      w.n.setSettings({
        webhooks: [],
        emails: [{ name: 'oncall', to: ['ops@example.org'], kinds: ['vrrp'] }],
      }),
    ).rejects.toMatchObject({
      fields: [{ path: 'smtp', message: 'email needs a mail server (smtp) first' }],
    });
    await expect(
      w.n.setSettings({
        webhooks: [{ name: 'oncall', url: 'http://198.18.0.9/', kinds: ['vrrp'] }],
        smtp: { ...smtp, password: 'x', from: 'not mail' },
        emails: [{ name: 'oncall', to: ['a@b.org', 'Ops <ops@example.org>'], kinds: ['vrrp'] }],
      }),
    ).rejects.toMatchObject({
      fields: expect.arrayContaining([
        { path: 'smtp.from', message: 'must be an email address (name@example.org)' },
        { path: 'emails[0].to[1]', message: 'must be an email address (name@example.org)' },
      ]),
    });
  });
});
