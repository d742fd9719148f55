import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AUTH_MIGRATIONS } from './authMigrations.js';
import { openAuthStore } from './authStore.js';
import { migrate } from './migrate.js';

const HASH = `scrypt$32768$8$1$${'s'.repeat(22)}$${'k'.repeat(43)}`;
let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('auth store', () => {
  it('upgrades an auth.db from before two-factor sign-in: users kept, no second factor', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tandem-authdb-'));
    const path = join(dir, 'auth.db');
    // auth.db as the release before issue 17's two-factor sign-in left it (migration 3).
    const old = new Database(path);
    migrate(old, AUTH_MIGRATIONS.slice(0, 3));
    old
      .prepare(
        "INSERT INTO users (name, role, hash, created_at, updated_at, updated_on) VALUES ('ann', 'admin', ?, 1, 2, 'unit-a')",
      )
      .run(HASH);
    old.close();
    const store = openAuthStore(path);
    expect(store.user('ann')).toMatchObject({ name: 'ann', role: 'admin', secondFactor: null });
    expect(store.records()).toEqual([
      {
        name: 'ann',
        role: 'admin',
        hash: HASH,
        createdAt: 1,
        updatedAt: 2,
        updatedOn: 'unit-a',
        removed: false,
        secondFactor: null,
      },
    ]);
    expect(store.signInPolicy().requireTwoFactorForAdmins).toBe(false);
    // A second factor set here is stamped later than the user's last change, and kept.
    const factor = { secret: 'A'.repeat(32), recovery: [], enrolledAt: 5 };
    store.setSecondFactor('ann', factor, 2, 'unit-b');
    expect(store.records()[0]).toMatchObject({ secondFactor: factor, updatedAt: 3 });
    expect(store.users()).toEqual([{ name: 'ann', role: 'admin', createdAt: 1, twoFactor: true }]);
    store.close();
  });
});
