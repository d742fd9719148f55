import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SharedSettings } from '@tandem/core';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../adapters/atomicFiles.js';
import { createNotifications } from './notifications.js';
import type { PeerCall } from './peerCall.js';
import { sharedSettingsSet, syncSettings, type SharedSettingsSet } from './settingsSync.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function unit(name: string, clock: { now: number }) {
  const dir = await mkdtemp(join(tmpdir(), `tandem-settings-${name}-`));
  dirs.push(dir);
  const notifications = createNotifications({
    stateFile: join(dir, 'notifications.json'),
    write: writeFileAtomic,
    post: () => Promise.resolve(200),
    mail: () => Promise.resolve(),
    unit: name,
    now: () => clock.now,
    log: () => undefined,
  });
  return { dir, notifications, set: sharedSettingsSet(notifications) };
}
const callTo =
  (to: SharedSettingsSet, calls: string[] = []): PeerCall =>
  async (method, path, body) => {
    calls.push(`${method} ${path}`);
    return method === 'GET' ? to.shared() : { taken: await to.take(body as SharedSettings) };
  };
const sync = (here: SharedSettingsSet, there: SharedSettingsSet, calls?: string[]) =>
  syncSettings(callTo(there, calls), here, { unit: 'peer', digest: there.digest() });

const smtp = {
  host: 'mail.example.org',
  from: 'lb@example.org',
  username: 'lb',
  password: 'secret',
};

describe('notification settings shared by a pair', () => {
  it('are set once for both units: the later change wins, the password travels', async () => {
    const clock = { now: 1_000 };
    const [a, b] = [await unit('a', clock), await unit('b', clock)];
    await a.notifications.setSettings({
      webhooks: [{ name: 'ops', url: 'http://198.18.0.9/hook', kinds: ['vrrp'] }],
      smtp,
    });
    expect(await sync(b.set, a.set)).toBe(1);
    expect(b.notifications.settings()).toEqual(a.notifications.settings());
    expect(b.notifications.shared()?.value.smtp?.password).toBe('secret');
    expect(b.set.digest()).toBe(a.set.digest());

    // Changed on b later: a takes it when b's round reaches it (b gives what is newer).
    clock.now = 2_000;
    await b.notifications.setSettings({ webhooks: [] });
    const calls: string[] = [];
    expect(await sync(b.set, a.set, calls)).toBe(0);
    expect(calls).toEqual(['GET /peer/v1/settings', 'POST /peer/v1/settings']);
    expect(a.notifications.settings().webhooks).toEqual([]);
    expect(a.notifications.settings().smtp).toBeNull();

    // An older document does not win; in step, nothing is asked.
    expect(
      await a.set.take({
        notifications: { value: { webhooks: [], smtp: null, emails: [] }, at: 1_500, unit: 'z' },
      }),
    ).toBe(0);
    const none: string[] = [];
    expect(await sync(a.set, b.set, none)).toBe(0);
    expect(none).toEqual([]);
  });

  it('reads a settings file from before the pair shared them', async () => {
    const clock = { now: 1_000 };
    const a = await unit('a', clock);
    await writeFile(
      join(a.dir, 'notifications.json'),
      JSON.stringify({ webhooks: [{ name: 'ops', url: 'http://198.18.0.9/', kinds: ['vrrp'] }] }),
    );
    await a.notifications.load();
    expect(a.notifications.settings().webhooks.map((w) => w.name)).toEqual(['ops']);
    // The oldest change there can be: it reaches a peer with none, and gives way to any other.
    expect(a.notifications.shared()).toMatchObject({ at: 0, unit: 'a' });
    const b = await unit('b', clock);
    expect(await sync(b.set, a.set)).toBe(1);
    expect(b.notifications.settings().webhooks.map((w) => w.name)).toEqual(['ops']);
  });
});
