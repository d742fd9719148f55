import { TandemError } from '@tandem/core';
import { createScryptHasher } from '../adapters/passwordHasher.js';
import { openAuthStore } from '../store/authStore.js';
import { createAuthService } from '../services/auth.js';

/** The auth service's unit tests' world: an in-memory auth.db, real scrypt, a clock to move. */
export const PW = 'correct horse battery';

export function world() {
  let now = 1_000_000;
  const store = openAuthStore(':memory:');
  // Real scrypt, with a small cost so the suite stays fast.
  const auth = createAuthService({
    store,
    hasher: createScryptHasher(2 ** 10),
    clock: { now: () => new Date(now) },
  });
  return { auth, store, now: () => now, advance: (ms: number) => (now += ms) };
}

export async function code(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof TandemError) return e.code;
    throw e;
  }
  return 'ok';
}

export async function withAdmin() {
  const w = world();
  const t = w.auth.newSetupToken() ?? '';
  const s = await w.auth.setup({ token: t, name: 'ann', password: PW });
  return { ...w, token: s.token };
}
