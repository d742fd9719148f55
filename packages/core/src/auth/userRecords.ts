import { z } from 'zod';
import { Name, UserName } from '../grammar/names.js';
import { Role } from './authSchemas.js';
import { SecondFactor, SignInPolicyRecord } from './twoFactor.js';

/**
 * Console users as the pair shares them (ADR 0015): each user a record stamped with when and
 * on which unit it last changed; a removal is a record too (so it is not undone by the peer
 * that still has the user). Sessions never travel: they stay on the unit that opened them.
 */
export const UserRecord = z
  .object({
    name: UserName,
    role: Role,
    /** The agent's scrypt hash (`scrypt$N$r$p$salt$key`); never a password. */
    hash: z
      .string()
      .regex(/^scrypt\$\d{1,8}\$\d{1,3}\$\d{1,3}\$[A-Za-z0-9_-]{8,128}\$[A-Za-z0-9_-]{16,256}$/, {
        error: 'must be an scrypt hash',
      })
      .or(z.literal('')),
    createdAt: z.number().int().min(0),
    updatedAt: z.number().int().min(0),
    updatedOn: Name.or(z.literal('')),
    removed: z.boolean(),
    /**
     * The user's second factor, or null for none. Absent (undefined) only in a record from a
     * unit older than two-factor sign-in: it knows nothing of it, so it does not remove one.
     */
    secondFactor: SecondFactor.nullable().optional(),
  })
  .strict()
  .refine((r) => r.removed === (r.hash === ''), {
    error: 'a user has a password hash; a removal has none',
    path: ['hash'],
  });
export type UserRecord = z.output<typeof UserRecord>;

/** What a pair exchanges: the user records and the sign-in policy (absent from older units). */
export const UserRecords = z
  .object({ records: z.array(UserRecord).max(10_000), policy: SignInPolicyRecord.optional() })
  .strict();
export type UserRecords = z.output<typeof UserRecords>;

/** Which record of a user is newer: the later change, the unit name breaking a tie. */
const newer = (a: UserRecord, b: UserRecord) =>
  a.updatedAt !== b.updatedAt ? a.updatedAt > b.updatedAt : a.updatedOn > b.updatedOn;

/**
 * The peer's records this unit should take: per user, the later change wins (a removal
 * included). Each one taken is audited on the unit that takes it (what changed, when and on
 * which unit), so a change made on both units while apart is never lost without a trace.
 */
export function mergeUserRecords(
  mine: readonly UserRecord[],
  theirs: readonly UserRecord[],
): UserRecord[] {
  const here = new Map(mine.map((r) => [r.name, r]));
  const taken: UserRecord[] = [];
  for (const t of theirs) {
    const m = here.get(t.name);
    // A record from a unit that knows no second factor keeps the one this unit has.
    const theirsFull =
      t.secondFactor === undefined ? { ...t, secondFactor: m?.secondFactor ?? null } : t;
    if (!m) {
      taken.push(theirsFull);
      continue;
    }
    const same =
      m.role === t.role &&
      m.hash === t.hash &&
      m.removed === t.removed &&
      sameFactor(m.secondFactor, theirsFull.secondFactor);
    if (!same && newer(t, m)) taken.push(theirsFull);
  }
  return taken;
}

const sameFactor = (a: SecondFactor | null | undefined, b: SecondFactor | null | undefined) =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The peer's sign-in policy when it is the later change (null: keep this unit's). */
export function mergeSignInPolicy(
  mine: SignInPolicyRecord,
  theirs: SignInPolicyRecord | undefined,
): SignInPolicyRecord | null {
  if (!theirs) return null;
  const later =
    theirs.updatedAt !== mine.updatedAt
      ? theirs.updatedAt > mine.updatedAt
      : theirs.updatedOn > mine.updatedOn;
  // Taken even when it says the same, so both units end with one stamp (and one digest).
  return later ? theirs : null;
}
