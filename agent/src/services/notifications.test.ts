import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventRow } from '@tandem/core';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../adapters/atomicFiles.js';
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

async function world(answers: (number | Error)[]) {
  dir = await mkdtemp(join(tmpdir(), 'tandem-notify-'));
  const posts: { url: string; body: unknown }[] = [];
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
  return { n, posts, waits };
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
    await expect(w.n.test('ops')).rejects.toMatchObject({ message: 'webhook ops answered 500' });
    await expect(w.n.test('ops')).resolves.toEqual({ delivered: true });
    await expect(w.n.test('nope')).rejects.toMatchObject({ code: 'not_found' });
  });
});
