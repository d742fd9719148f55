import { describe, expect, it } from 'vitest';
import { mergeUserRecords, UserRecord, type UserRecord as Rec } from './userRecords.js';

const HASH = `scrypt$32768$8$1$${'s'.repeat(22)}$${'k'.repeat(43)}`;
const rec = (name: string, updatedAt: number, o: Partial<Rec> = {}): Rec => ({
  name,
  role: 'admin',
  hash: HASH,
  createdAt: 1,
  updatedAt,
  updatedOn: 'unit-a',
  removed: false,
  ...o,
});

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
});
