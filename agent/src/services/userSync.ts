import {
  parseWith,
  TandemError,
  UserRecords,
  type SignInPolicyRecord,
  type UserRecord,
} from '@tandem/core';
import type { PeerCall } from './peerCall.js';

/** The console users a pair shares (the auth service's side of it). */
export interface SharedUsers {
  usersDigest(): string;
  userRecords(): UserRecord[];
  takeUserRecords(records: readonly UserRecord[], peer: string): number;
  signInPolicyRecord(): SignInPolicyRecord;
  takeSignInPolicy(p: SignInPolicyRecord | undefined, peer: string): number;
}

/** What GET and POST /peer/v1/users carry: every user record and the sign-in policy. */
export const sharedUsersOf = (u: SharedUsers): UserRecords => ({
  records: u.userRecords(),
  policy: u.signInPolicyRecord(),
});
/** The peer's users and policy taken where newer; answers how many changes were taken. */
export const takeShared = (u: SharedUsers, r: UserRecords, peer: string): number =>
  u.takeUserRecords(r.records, peer) + u.takeSignInPolicy(r.policy, peer);

/**
 * Console users and the sign-in policy, when the two units' digests differ: this unit takes the peer's newer records,
 * then gives the peer its merged set, so both end with the same users. Answers how many user
 * changes this unit took.
 */
export async function syncUsers(
  call: PeerCall,
  users: SharedUsers,
  peer: { unit: string; usersDigest: string },
): Promise<number> {
  if (users.usersDigest() === peer.usersDigest) return 0;
  const r = parseWith(UserRecords, await call('GET', '/peer/v1/users'));
  if (!r.ok) throw new TandemError('peer_unavailable', `${peer.unit} sent users that are not ones`);
  const taken = takeShared(users, r.value, peer.unit);
  await call('POST', '/peer/v1/users', sharedUsersOf(users));
  return taken;
}
