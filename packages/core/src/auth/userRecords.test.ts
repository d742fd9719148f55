import { describe, expect, it } from 'vitest';
import { DEFAULT_SIGN_IN_POLICY, type SecondFactor } from './twoFactor.js';
import {
  mergeSignInPolicy,
  mergeUserRecords,
  UserRecord,
  type UserRecord as Rec,
} from './userRecords.js';

const HASH = `scrypt$32768$8$1$${'s'.repeat(22)}$${'k'.repeat(43)}`;
const rec = (name: string, updatedAt: number, o: Partial<Rec> = {}): Rec => ({
  name,
  role: 'admin',
  hash: HASH,
  createdAt: 1,
  updatedAt,
  updatedOn: 'unit-a',
  removed: false,
  secondFactor: null,
  ...o,
});
const FACTOR: SecondFactor = { secret: 'A'.repeat(32), recovery: ['0'.repeat(64)], enrolledAt: 3 };

describe('user records', () => {
  it('takes users the peer has and this unit does not, and later changes', () => {
    const r = mergeUserRecords(
      [rec('ann', 5), rec('bob', 9, { role: 'read-only' })],
      [rec('ann', 7, { role: 'read-only', updatedOn: 'unit-b' }), rec('bob', 3), rec('cy', 2)],
    );
    expect(r.map((t) => t.name)).toEqual(['ann', 'cy']);
  });

  it('keeps a removal against an older user record, and a newer user against an older removal', () => {
    expect(
      mergeUserRecords([rec('ann', 5)], [rec('ann', 6, { removed: true, hash: '' })]),
    ).toHaveLength(1);
    expect(mergeUserRecords([rec('ann', 6, { removed: true, hash: '' })], [rec('ann', 5)])).toEqual(
      [],
    );
  });

  it('breaks a tie of the same instant by unit name, the same way on both units', () => {
    const a = rec('ann', 5, { updatedOn: 'unit-a', role: 'read-only' });
    const b = rec('ann', 5, { updatedOn: 'unit-b' });
    expect(mergeUserRecords([a], [b])).toEqual([b]);
    expect(mergeUserRecords([b], [a])).toEqual([]);
  });

  it('takes only scrypt hashes from the peer, never a password', () => {
    expect(UserRecord.safeParse(rec('ann', 1, { hash: 'hunter2' })).success).toBe(false);
    expect(UserRecord.safeParse(rec('ann', 1, { name: 'ann\nx' })).success).toBe(false);
    expect(UserRecord.safeParse(rec('ann', 1)).success).toBe(true);
    // A user without a hash, or a removal with one, is not a record the peer may send.
    expect(UserRecord.safeParse(rec('ann', 1, { hash: '' })).success).toBe(false);
    expect(UserRecord.safeParse(rec('ann', 1, { removed: true })).success).toBe(false);
    expect(UserRecord.safeParse(rec('ann', 1, { removed: true, hash: '' })).success).toBe(true);
  });

  it("shares a second factor, and a record from a unit that knows none keeps this unit's", () => {
    // Set up on the peer later: taken. Removed on the peer later (null): taken too.
    expect(mergeUserRecords([rec('ann', 5)], [rec('ann', 6, { secondFactor: FACTOR })])).toEqual([
      rec('ann', 6, { secondFactor: FACTOR }),
    ]);
    const withFactor = rec('ann', 5, { secondFactor: FACTOR });
    expect(mergeUserRecords([withFactor], [rec('ann', 6)])).toEqual([rec('ann', 6)]);
    // A recovery code used on the peer is a change of the factor: taken.
    const used = { ...FACTOR, recovery: [] };
    expect(mergeUserRecords([withFactor], [rec('ann', 6, { secondFactor: used })])).toHaveLength(1);
    // An older unit's newer password change (no secondFactor key): the password is taken, the
    // second factor stays; a new user from it has none.
    const withoutFactor = (r: Rec): Omit<Rec, 'secondFactor'> => {
      const copy: Partial<Rec> = { ...r };
      delete copy.secondFactor;
      return copy as Omit<Rec, 'secondFactor'>;
    };
    const older = withoutFactor(rec('ann', 7, { hash: `${rec('x', 0).hash}x` }));
    expect(mergeUserRecords([withFactor], [older])).toEqual([{ ...older, secondFactor: FACTOR }]);
    const newcomer = withoutFactor(rec('bob', 7));
    expect(mergeUserRecords([], [newcomer])).toEqual([{ ...newcomer, secondFactor: null }]);
    expect(UserRecord.safeParse(older).success).toBe(true);
    expect(UserRecord.safeParse({ ...older, secondFactor: { secret: 'x' } }).success).toBe(false);
  });

  it('takes the later sign-in policy, and none from a unit that has no policy', () => {
    const on = { requireTwoFactorForAdmins: true, updatedAt: 9, updatedOn: 'unit-b' };
    expect(mergeSignInPolicy(DEFAULT_SIGN_IN_POLICY, on)).toEqual(on);
    expect(mergeSignInPolicy(on, { ...on, requireTwoFactorForAdmins: false, updatedAt: 8 })).toBe(
      null,
    );
    expect(mergeSignInPolicy(on, undefined)).toBe(null);
  });
});
