import { createHash } from 'node:crypto';
import {
  parseRequest,
  SignInPolicy,
  TandemError,
  TwoFactorConfirm,
  TwoFactorProof,
  TwoFactorStart,
  type SessionInfo,
  type SignInPolicyRecord,
  type TwoFactorEnrolment,
} from '@tandem/core';
import type { AuthStore, UserRow } from '../store/authStore.js';
import {
  checkSecondFactor,
  enrolment,
  newRecoveryCodes,
  newTotpSecret,
  totpStep,
} from './secondFactorCheck.js';

export interface TwoFactorDeps {
  store: AuthStore;
  now: () => number;
  /** This unit's name: the issuer in the app, and where each change was made. */
  unit: string;
  audit: (user: string, action: string, detail?: string, source?: string) => void;
  /** Users changed here: the pair's replication ships them. */
  changed: () => void;
  /** The session behind a token (throws when there is none). */
  check: (token: string) => SessionInfo;
  /** The signed-in user's password again (throws, naming the field, when wrong). */
  reenter: (name: string, password: string) => Promise<void>;
}

/** An enrolment waits this long for its first code. */
const PENDING_MS = 10 * 60_000;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export const CODE_REQUIRED = () =>
  new TandemError('unauthorized', 'enter the code from your authenticator app', [
    { path: 'code', message: 'required' },
  ]);
export const CODE_WRONG = () =>
  new TandemError('unauthorized', 'the code is not right', [
    { path: 'code', message: 'is not right (or was used already)' },
  ]);

/**
 * Two-factor sign-in (TOTP, RFC 6238; issue 17): enrolment with a QR code and recovery codes,
 * the check at sign-in and sudo, and the policy that requires it of admins. Part of the auth
 * service: the second factor is a field of the user's record, so the pair shares it.
 */
export function createTwoFactor(d: TwoFactorDeps) {
  /** Enrolments begun, by session (token hash): the secret is kept only once confirmed. */
  const pending = new Map<string, { secret: string; until: number }>();

  /**
   * The user's second factor against a typed code, used up if right (a time step is not taken
   * twice here; a recovery code is gone on both units). Answers the audit's words for it.
   */
  const prove = (
    u: UserRow,
    code: string | undefined,
  ): { ok: true; detail: string } | { ok: false; missing: boolean } => {
    if (!u.secondFactor) return { ok: true, detail: '' };
    if (code === undefined) return { ok: false, missing: true };
    const v = checkSecondFactor(u.secondFactor, code, d.now(), d.store.lastStep(u.name));
    if (!v.ok) return { ok: false, missing: false };
    if (v.kind === 'totp') {
      d.store.setLastStep(u.name, v.step);
      return { ok: true, detail: '' };
    }
    d.store.setSecondFactor(u.name, v.rest, d.now(), d.unit);
    d.changed();
    return { ok: true, detail: `with a recovery code (${v.rest.recovery.length} left)` };
  };
  /** `prove` for a signed-in user acting again: a missing or wrong code is an error. */
  const demand = (u: UserRow, code: string | undefined): string => {
    const p = prove(u, code);
    if (!p.ok) throw p.missing ? CODE_REQUIRED() : CODE_WRONG();
    return p.detail;
  };
  const userOf = (name: string) => {
    const u = d.store.user(name);
    if (!u) throw new TandemError('not_found', `no user ${name}`);
    return u;
  };
  const policy = () => d.store.signInPolicy();

  return {
    prove,
    demand,
    /** Whether this user must set up a second factor before acting as an admin. */
    mustEnrol: (u: Pick<UserRow, 'role' | 'secondFactor'>) =>
      policy().requireTwoFactorForAdmins && u.role === 'admin' && u.secondFactor === null,
    /** The password again, then a new secret to scan; nothing is kept until a code confirms it. */
    async start(token: string, body: unknown): Promise<TwoFactorEnrolment> {
      const s = d.check(token);
      const r = parseRequest(TwoFactorStart, body);
      await d.reenter(s.user, r.password);
      const secret = newTotpSecret();
      pending.set(sha256(token), { secret, until: d.now() + PENDING_MS });
      return enrolment(secret, s.user, d.unit);
    },
    /** The app's first code proves it holds the secret: kept, with new recovery codes (shown once). */
    confirm(token: string, body: unknown, source = ''): { recoveryCodes: string[] } {
      const s = d.check(token);
      const r = parseRequest(TwoFactorConfirm, body);
      const p = pending.get(sha256(token));
      if (!p || p.until < d.now())
        throw new TandemError('conflict', 'no enrolment is waiting for a code: start again');
      const step = totpStep(p.secret, r.code, d.now(), 0);
      if (step === null)
        throw new TandemError('bad_request', 'the code is not right', [
          { path: 'code', message: "is not right: is the phone's clock right?" },
        ]);
      const { codes, hashes } = newRecoveryCodes();
      d.store.setSecondFactor(
        s.user,
        { secret: p.secret, recovery: hashes, enrolledAt: d.now() },
        d.now(),
        d.unit,
      );
      d.store.setLastStep(s.user, step);
      pending.delete(sha256(token));
      d.audit(s.user, 'two-factor-on', '', source);
      d.changed();
      return { recoveryCodes: codes };
    },
    /** New recovery codes for the signed-in user (the old ones stop working). */
    async renewRecoveryCodes(token: string, body: unknown, source = '') {
      const s = d.check(token);
      const r = parseRequest(TwoFactorProof, body);
      await d.reenter(s.user, r.password);
      const u = userOf(s.user);
      if (!u.secondFactor)
        throw new TandemError('conflict', 'you have no two-factor sign-in to renew codes of');
      demand(u, r.code);
      const { codes, hashes } = newRecoveryCodes();
      // Read again: the code proven may have been a recovery code, now used.
      const factor = userOf(s.user).secondFactor ?? u.secondFactor;
      d.store.setSecondFactor(s.user, { ...factor, recovery: hashes }, d.now(), d.unit);
      d.audit(s.user, 'recovery-codes-renewed', '', source);
      d.changed();
      return { recoveryCodes: codes };
    },
    /** The signed-in user turns theirs off (the password and a code again). */
    async turnOff(token: string, body: unknown, source = ''): Promise<void> {
      const s = d.check(token);
      const r = parseRequest(TwoFactorProof, body);
      await d.reenter(s.user, r.password);
      const u = userOf(s.user);
      if (!u.secondFactor) return;
      demand(u, r.code);
      if (policy().requireTwoFactorForAdmins && u.role === 'admin')
        throw new TandemError(
          'conflict',
          'two-factor sign-in is required for admins on this unit: set up a new one instead',
        );
      d.store.setSecondFactor(s.user, null, d.now(), d.unit);
      d.audit(s.user, 'two-factor-off', '', source);
      d.changed();
    },
    /**
     * An admin (or the local operator) removes someone's second factor: the lost phone with no
     * recovery code left. Their sessions end; they sign in with the password and set up anew.
     */
    removeFor(by: string, name: string, source = ''): void {
      userOf(name);
      d.store.setSecondFactor(name, null, d.now(), d.unit);
      d.store.removeSessionsOf(name);
      d.audit(by, 'two-factor-off', name, source);
      d.changed();
    },
    policy: (): SignInPolicy => ({ requireTwoFactorForAdmins: policy().requireTwoFactorForAdmins }),
    /**
     * Admins only. Turning the requirement on needs the admin's own second factor first (from
     * the console; the local operator may always), so nobody turns it on and loses admin power.
     */
    setPolicy(by: string, session: string | null, body: unknown, source = ''): SignInPolicy {
      const r = parseRequest(SignInPolicy, body);
      if (r.requireTwoFactorForAdmins && session !== null && !userOf(by).secondFactor)
        throw new TandemError('conflict', 'set up your own two-factor sign-in first', [
          { path: 'requireTwoFactorForAdmins', message: 'needs your own second factor first' },
        ]);
      const cur = policy();
      d.store.setSignInPolicy({
        ...r,
        updatedAt: Math.max(d.now(), cur.updatedAt + 1),
        updatedOn: d.unit,
      });
      d.audit(
        by,
        'sign-in-policy',
        r.requireTwoFactorForAdmins ? 'two-factor required for admins' : 'two-factor optional',
        source,
      );
      d.changed();
      return r;
    },
    /** The pair's policy: this unit's, stamped. */
    policyRecord: (): SignInPolicyRecord => policy(),
  };
}
export type TwoFactor = ReturnType<typeof createTwoFactor>;
