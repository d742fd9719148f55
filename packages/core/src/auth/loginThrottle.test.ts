import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './loginThrottle.js';

/** Fails `n` sign-ins (each attempt allowed, then found wrong); answers the refusals' waits. */
function failMany(t: LoginThrottle, account: string, source: string, n: number, at: number) {
  const waits: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = t.attempt(account, source, at);
    if (v.ok) v.settle(false);
    else waits.push(v.waitMs);
  }
  return waits;
}

describe('LoginThrottle', () => {
  it('lets a few failures through, then makes each next attempt wait twice as long', () => {
    const t = new LoginThrottle({ freePair: 3, baseMs: 1_000 });
    expect(failMany(t, 'ann', '10.0.0.1', 3, 0)).toEqual([]);
    expect(t.attempt('ann', '10.0.0.1', 0)).toEqual({ ok: false, waitMs: 1_000 });
    expect(t.attempt('ann', '10.0.0.1', 999)).toEqual({ ok: false, waitMs: 1 });
    expect(failMany(t, 'ann', '10.0.0.1', 1, 1_000)).toEqual([]);
    expect(t.attempt('ann', '10.0.0.1', 1_000)).toEqual({ ok: false, waitMs: 2_000 });
    expect(failMany(t, 'ann', '10.0.0.1', 1, 3_000)).toEqual([]);
    expect(t.attempt('ann', '10.0.0.1', 3_000)).toEqual({ ok: false, waitMs: 4_000 });
  });

  it('holds an account no longer than its delay when the clock steps back a day', () => {
    const t = new LoginThrottle({ freePair: 3, baseMs: 1_000 });
    const day = 86_400_000;
    expect(failMany(t, 'ann', '10.0.0.1', 3, 10 * day)).toEqual([]);
    // The clock is set back a day: the failures are "tomorrow", the wait is still one delay.
    expect(t.attempt('ann', '10.0.0.1', 9 * day)).toEqual({ ok: false, waitMs: 1_000 });
    expect(t.attempt('ann', '10.0.0.1', 9 * day + 1_000).ok).toBe(true);
  });

  it('never holds back the right password from an address that has not failed', () => {
    const t = new LoginThrottle({ freePair: 3, freeWide: 10 });
    // A thousand addresses each guess twice: the account's count is far past its limit.
    for (let s = 0; s < 1_000; s++) failMany(t, 'admin', `198.18.${s >> 8}.${s & 255}`, 2, 5);
    expect(t.attempt('admin', '198.18.0.1', 6).ok).toBe(false);
    const owner = t.attempt('admin', '192.0.2.7', 6);
    expect(owner.ok).toBe(true);
    // ...and once the owner is in, the account starts over; the attackers' own pairs do not.
    if (owner.ok) owner.settle(true);
    expect(t.attempt('admin', '198.18.0.1', 6).ok).toBe(true);
  });

  it('counts a check and its failure as one step: parallel attempts meet the same limit', () => {
    const t = new LoginThrottle({ freePair: 3 });
    const verdicts = Array.from({ length: 50 }, () => t.attempt('ann', '10.0.0.1', 0));
    // All fifty were checked before any password was: three got through, as one by one would.
    expect(verdicts.filter((v) => v.ok)).toHaveLength(3);
    for (const v of verdicts) if (v.ok) v.settle(false);
    expect(t.attempt('ann', '10.0.0.1', 0).ok).toBe(false);
  });

  it('slows one address trying many accounts, not the accounts for others', () => {
    const t = new LoginThrottle({ freePair: 3, freeWide: 10 });
    for (let i = 0; i < 10; i++) failMany(t, `user${i}`, '10.0.0.66', 1, 0);
    expect(t.attempt('user99', '10.0.0.66', 0).ok).toBe(false);
    expect(t.attempt('user1', '10.0.0.2', 0).ok).toBe(true);
  });

  it('a right password clears the pair, and counts expire after the window', () => {
    const t = new LoginThrottle({ freePair: 3, windowMs: 60_000 });
    failMany(t, 'ann', '10.0.0.1', 2, 0);
    const v = t.attempt('ann', '10.0.0.1', 0);
    expect(v.ok).toBe(true);
    if (v.ok) v.settle(true);
    expect(failMany(t, 'ann', '10.0.0.1', 3, 0)).toEqual([]);
    expect(t.attempt('ann', '10.0.0.1', 500).ok).toBe(false);
    // A window after the last failure the count is gone: three free failures again.
    expect(failMany(t, 'ann', '10.0.0.1', 3, 61_000)).toEqual([]);
    expect(t.attempt('ann', '10.0.0.1', 61_000).ok).toBe(false);
  });

  it('a right password awaiting its second factor counts neither way: wrong codes still add up', () => {
    const t = new LoginThrottle({ freePair: 3, baseMs: 1_000 });
    // Each round: the password alone (released), then a wrong code (a failure).
    for (let i = 0; i < 3; i++) {
      const password = t.attempt('ann', '10.0.0.1', 0);
      expect(password.ok).toBe(true);
      if (password.ok) password.release();
      expect(failMany(t, 'ann', '10.0.0.1', 1, 0)).toEqual([]);
    }
    // Three wrong codes: the fourth attempt waits, as after three wrong passwords.
    expect(t.attempt('ann', '10.0.0.1', 0)).toEqual({ ok: false, waitMs: 1_000 });
    // Released once, a verdict cannot also settle as a success (and clear the count).
    const t2 = new LoginThrottle({ freePair: 1 });
    failMany(t2, 'ann', '10.0.0.1', 1, 0);
    expect(t2.attempt('ann', '10.0.0.1', 0).ok).toBe(false);
    const later = t2.attempt('ann', '10.0.0.1', 1_000);
    if (later.ok) {
      later.release();
      later.settle(true);
    }
    expect(t2.attempt('ann', '10.0.0.1', 1_000).ok).toBe(false);
  });

  it('stays bounded under a flood without forgetting the account under attack', () => {
    const t = new LoginThrottle({ freePair: 3, freeWide: 10, maxEntries: 2_000 });
    failMany(t, 'admin', '10.6.6.6', 3, 0);
    for (let i = 0; i < 20_000; i++) {
      const v = t.attempt(`n${i}`, `198.18.${(i >> 8) & 255}.${i & 255}`, 1);
      if (v.ok) v.settle(false);
    }
    expect(t.size).toBeLessThanOrEqual(2_000);
    expect(t.attempt('admin', '10.6.6.6', 1).ok).toBe(false);
  });
});
