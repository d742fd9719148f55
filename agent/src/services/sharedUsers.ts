import { createHash } from 'node:crypto';
import {
  mergeSignInPolicy,
  mergeUserRecords,
  type SignInPolicyRecord,
  type UserRecord,
} from '@tandem/core';
import type { AuthStore } from '../store/authStore.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The auth service's side of a pair (ADR 0015): console users as records stamped with when and
 * where each last changed, the sign-in policy likewise, and taking the peer's newer ones.
 */
export function createSharedUsers(d: {
  store: AuthStore;
  audit: (user: string, action: string, detail?: string) => void;
  changed: () => void;
}) {
  return {
    /** Users as the pair shares them (records with their stamps, removals included). */
    userRecords: (): UserRecord[] => d.store.records(),
    /** Equal on both units when their users and sign-in policy agree (compared first). */
    usersDigest: (): string =>
      sha256(JSON.stringify({ records: d.store.records(), policy: d.store.signInPolicy() })),
    signInPolicyRecord: (): SignInPolicyRecord => d.store.signInPolicy(),
    /** The peer's sign-in policy, when it is the later change. */
    takeSignInPolicy(p: SignInPolicyRecord | undefined, peer: string): number {
      const take = mergeSignInPolicy(d.store.signInPolicy(), p);
      if (!take) return 0;
      d.store.setSignInPolicy(take);
      d.audit(
        `peer:${peer}`,
        'sign-in-policy',
        `${take.requireTwoFactorForAdmins ? 'two-factor required for admins' : 'two-factor optional'}, changed on ${take.updatedOn || 'a unit'} at ${new Date(take.updatedAt).toISOString()}`,
      );
      return 1;
    },
    /**
     * The peer's users: each record newer than this unit's is taken (the later change wins,
     * a removal included) and audited here with where and when it was made.
     */
    takeUserRecords(records: readonly UserRecord[], peer: string): number {
      const take = mergeUserRecords(d.store.records(), records);
      for (const r of take) {
        d.store.putRecord(r);
        d.audit(
          `peer:${peer}`,
          r.removed ? 'user-removed' : 'user-synced',
          `${r.name}${r.removed ? '' : ` (${r.role})`}, changed on ${r.updatedOn || 'a unit'} at ${new Date(r.updatedAt).toISOString()}`,
        );
      }
      return take.length;
    },
    /**
     * This unit joins a pair and takes the inviting unit's configuration: its users too. A user
     * of the same name on both (each unit set up with "admin") becomes the inviter's, so the
     * operator on the inviting unit stays signed in; users only this unit has are shared.
     */
    yieldUsersToPeer(peer: string) {
      d.store.yieldToPeer();
      d.audit('system', 'users-yield', `joined ${peer}: its users win on a name clash`);
      d.changed();
    },
  };
}
