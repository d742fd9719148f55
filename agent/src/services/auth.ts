import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  LoginRequest,
  LoginThrottle,
  NewUser,
  parseRequest,
  PasswordChange,
  PasswordReset,
  SetupRequest,
  SudoRequest,
  TandemError,
  type AuditFilter,
  type SessionInfo,
} from '@tandem/core';
import type { Clock } from '../adapters/clock.js';
import type { PasswordHasher } from '../adapters/passwordHasher.js';
import type { AuthStore } from '../store/authStore.js';
import { assertStrongPassword } from './passwordStrength.js';
import { createSharedUsers } from './sharedUsers.js';
import { CODE_REQUIRED, CODE_WRONG, createTwoFactor } from './twoFactor.js';

export interface AuthOptions {
  store: AuthStore;
  hasher: PasswordHasher;
  clock: Clock;
  /** A session unused this long ends (console idle timeout). */
  idleMs?: number;
  /** A session ends this long after sign-in whatever happens. */
  maxAgeMs?: number;
  /** How long a re-entered password opens the terminal. */
  sudoMs?: number;
  /** This unit's name: each user change records where it was made (the pair shares users). */
  unit?: string;
}

const SESSION_MISSING = { path: 'session', message: 'none' };
const SESSION_ENDED = { path: 'session', message: 'ended' };

/** A wait as people say it: "12 s", "3 min". */
const waitText = (ms: number) =>
  ms < 60_000 ? `${Math.max(1, Math.ceil(ms / 1000))} s` : `${Math.ceil(ms / 60_000)} min`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const token = () => randomBytes(32).toString('base64url');
const SETUP_KEY = 'setup_token_sha256';
/**
 * How far a session may seem to come from the future. A clock stepped back (NTP's first answer on
 * a board without a battery, an operator's `date -s`) would otherwise leave a session, and its
 * sudo mode, alive for the whole step: a day back is a day more of terminal access.
 */
const CLOCK_SLACK_MS = 60_000;

/**
 * Console users, sessions and the audit log, checked by the agent (design brief): the console
 * server only forwards a session token. No default password: until the first admin exists the
 * only way in is the one-time setup token, which the agent prints in its log at start.
 */
export function createAuthService(o: AuthOptions) {
  const idleMs = o.idleMs ?? 30 * 60_000;
  const maxAgeMs = o.maxAgeMs ?? 12 * 3_600_000;
  const sudoMs = o.sudoMs ?? 10 * 60_000;
  const throttle = new LoginThrottle();
  const now = () => o.clock.now().getTime();
  // A hash to compare against when the account does not exist, so timing does not tell.
  const dummy = o.hasher.hash(randomBytes(16).toString('hex'));

  const unit = o.unit ?? '';
  let setupToken: string | null = null;
  const listeners = new Set<() => void>();
  /** Users changed here: the pair's replication ships them. */
  const changed = () => {
    for (const l of listeners) l();
  };
  /** An entry of the audit log; `source` is where it came from (empty: this unit itself). */
  const audit = (user: string, action: string, detail = '', source = '') =>
    o.store.audit({ at: now(), user, action, detail, source });

  const open = (name: string): { token: string; session: SessionInfo } => {
    const t = token();
    const at = now();
    o.store.addSession({ id: sha256(t), name, createdAt: at, lastSeen: at, sudoUntil: null });
    return { token: t, session: info(name, at, null) };
  };
  const info = (name: string, createdAt: number, sudoUntil: number | null): SessionInfo => {
    const u = o.store.user(name);
    return {
      user: name,
      role: u?.role ?? 'read-only',
      expiresAt: Math.min(now() + idleMs, createdAt + maxAgeMs),
      // Never longer than sudo mode lasts, whatever the clock did since it opened.
      sudoUntil:
        sudoUntil !== null && sudoUntil > now() && sudoUntil - now() <= sudoMs + CLOCK_SLACK_MS
          ? sudoUntil
          : null,
      twoFactor: Boolean(u?.secondFactor),
      mustEnrol: u ? factors.mustEnrol(u) : false,
    };
  };

  /** A signed-in user proves it is them again (sudo mode, a password change). */
  const reenter = async (name: string, password: string, field: string, message: string) => {
    const u = o.store.user(name);
    if (!u || !(await o.hasher.verify(password, u.hash)))
      throw new TandemError('unauthorized', message, [{ path: field, message: 'wrong password' }]);
  };
  /** Sign-in's throttle (ADR 0018): refused with the wait, or an attempt to settle. */
  const attemptFor = (name: string, source: string) => {
    const attempt = throttle.attempt(name, source, now());
    if (!attempt.ok)
      throw new TandemError(
        'too_many_requests',
        `too many failed sign-ins from this address: try again in ${waitText(attempt.waitMs)}`,
        [],
        { retryAfterMs: attempt.waitMs },
      );
    return attempt;
  };
  const factors = createTwoFactor({
    store: o.store,
    now,
    unit,
    audit,
    changed,
    check: (t) => service.check(t),
    reenter: (name, password) => reenter(name, password, 'password', 'wrong password'),
  });

  const service = {
    setupRequired: () => o.store.userCount() === 0,
    /**
     * A fresh one-time setup token while no user exists (null once one does). Only its hash is
     * kept; each agent start makes a new one, so a token seen in an old log is useless.
     */
    newSetupToken(): string | null {
      if (!service.setupRequired()) {
        o.store.setMeta(SETUP_KEY, null);
        return null;
      }
      const t = randomBytes(18).toString('base64url');
      o.store.setMeta(SETUP_KEY, sha256(t));
      setupToken = t;
      return t;
    },
    /**
     * The setup token of this start while no user exists (null once one does): for the local
     * operator (`tandemctl setup-token`), since the console cannot ask before anyone signed in.
     */
    currentSetupToken: (): string | null => (service.setupRequired() ? setupToken : null),
    async setup(body: unknown, source = '') {
      const r = parseRequest(SetupRequest, body);
      const want = o.store.meta(SETUP_KEY);
      const got = Buffer.from(sha256(r.token), 'hex');
      if (!service.setupRequired() || want === null)
        throw new TandemError('conflict', 'this unit is already set up: sign in instead');
      if (!timingSafeEqual(got, Buffer.from(want, 'hex')))
        throw new TandemError('unauthorized', 'the setup token is not right', [
          { path: 'token', message: 'does not match the token in the agent log' },
        ]);
      await assertStrongPassword(r.password, 'password', [r.name]);
      o.store.addUser(
        { name: r.name, role: 'admin', hash: await o.hasher.hash(r.password), createdAt: now() },
        unit,
      );
      o.store.setMeta(SETUP_KEY, null);
      audit(r.name, 'setup', 'first admin created', source);
      changed();
      return open(r.name);
    },
    async login(body: unknown, source: string) {
      const r = parseRequest(LoginRequest, body);
      // Checked and counted in one step, before the password is (ADR 0018): parallel attempts
      // meet the same limit as one after another.
      const attempt = attemptFor(r.name, source);
      const u = o.store.user(r.name);
      const ok = await o.hasher.verify(r.password, u?.hash ?? (await dummy));
      if (!u || !ok) {
        attempt.settle(false);
        audit(r.name, 'login-failed', '', source);
        throw new TandemError('unauthorized', 'wrong user name or password');
      }
      // The password is right; a user with a second factor proves it too. Asked for the code,
      // the attempt counts neither way; a wrong code is a failed sign-in like a wrong password.
      const second = factors.prove(u, r.code);
      if (!second.ok && second.missing) {
        attempt.release();
        throw CODE_REQUIRED();
      }
      attempt.settle(second.ok);
      if (!second.ok) {
        audit(u.name, 'login-failed', 'wrong second-factor code', source);
        throw CODE_WRONG();
      }
      audit(u.name, 'login', second.detail, source);
      return open(u.name);
    },
    /** The session behind a token, refreshed; throws `unauthorized` when there is none. */
    check(t: string | null): SessionInfo {
      // The field tells the console whether to say "sign in" or "your session ended".
      if (!t) throw new TandemError('unauthorized', 'sign in first', [SESSION_MISSING]);
      const s = o.store.session(sha256(t));
      const at = now();
      if (
        !s ||
        at - s.lastSeen > idleMs ||
        at - s.createdAt > maxAgeMs ||
        s.lastSeen - at > CLOCK_SLACK_MS
      ) {
        if (s) o.store.removeSession(s.id);
        throw new TandemError('unauthorized', 'the session has ended: sign in again', [
          SESSION_ENDED,
        ]);
      }
      o.store.touch(s.id, at);
      return info(s.name, s.createdAt, s.sudoUntil);
    },
    logout(t: string, source = ''): void {
      const id = sha256(t);
      const s = o.store.session(id);
      o.store.removeSession(id);
      if (s) audit(s.name, 'logout', '', source);
    },
    /**
     * Re-entering the password (and the code, for a user with a second factor) opens sudo mode
     * (the terminal) for a while. Throttled like sign-in: a stolen session cannot guess codes.
     */
    async sudo(t: string, body: unknown, source = ''): Promise<SessionInfo> {
      const s = service.check(t);
      const r = parseRequest(SudoRequest, body);
      const attempt = attemptFor(s.user, source);
      try {
        await reenter(s.user, r.password, 'password', 'wrong password');
      } catch (e) {
        attempt.settle(false);
        throw e;
      }
      const u = o.store.user(s.user);
      const second = u ? factors.prove(u, r.code) : { ok: false as const, missing: false };
      if (!second.ok && second.missing) attempt.release();
      else attempt.settle(second.ok);
      if (!second.ok) throw second.missing ? CODE_REQUIRED() : CODE_WRONG();
      const until = now() + sudoMs;
      o.store.setSudo(sha256(t), until);
      audit(
        s.user,
        'sudo',
        `until ${new Date(until).toISOString()}${second.detail ? `, ${second.detail}` : ''}`,
        source,
      );
      return { ...s, sudoUntil: until };
    },
    async changePassword(t: string, body: unknown, source = ''): Promise<void> {
      const s = service.check(t);
      const r = parseRequest(PasswordChange, body);
      await reenter(s.user, r.current, 'current', 'the current password is wrong');
      await assertStrongPassword(r.next, 'next', [s.user, r.current]);
      o.store.setHash(s.user, await o.hasher.hash(r.next), now(), unit);
      changed();
      // Every other session of this user ends; this one goes on.
      o.store.removeSessionsOf(s.user);
      o.store.addSession({
        id: sha256(t),
        name: s.user,
        createdAt: now(),
        lastSeen: now(),
        sudoUntil: null,
      });
      audit(s.user, 'password-changed', '', source);
    },
    users: () => o.store.users(),
    async addUser(by: string, body: unknown, source = '') {
      const r = parseRequest(NewUser, body);
      if (o.store.user(r.name))
        throw new TandemError('conflict', `user ${r.name} exists`, [
          { path: 'name', message: 'is taken' },
        ]);
      await assertStrongPassword(r.password, 'password', [r.name]);
      o.store.addUser(
        { name: r.name, role: r.role, hash: await o.hasher.hash(r.password), createdAt: now() },
        unit,
      );
      audit(by, 'user-added', `${r.name} (${r.role})`, source);
      changed();
      return { name: r.name, role: r.role };
    },
    /** An admin (or the local operator) sets someone's password: their sessions end. */
    async resetPassword(by: string, name: string, body: unknown, source = ''): Promise<void> {
      const r = parseRequest(PasswordReset, body);
      if (!o.store.user(name)) throw new TandemError('not_found', `no user ${name}`);
      await assertStrongPassword(r.password, 'password', [name]);
      o.store.setHash(name, await o.hasher.hash(r.password), now(), unit);
      o.store.removeSessionsOf(name);
      audit(by, 'password-reset', name, source);
      changed();
    },
    removeUser(by: string, name: string, source = ''): void {
      const u = o.store.user(name);
      if (!u) throw new TandemError('not_found', `no user ${name}`);
      if (u.role === 'admin' && o.store.adminCount() === 1)
        throw new TandemError('conflict', 'the last admin cannot be removed');
      o.store.removeUser(name, now(), unit);
      audit(by, 'user-removed', name, source);
      changed();
    },
    audit,
    ...createSharedUsers({ store: o.store, audit, changed }),
    twoFactor: factors,
    onUsersChange(l: () => void): () => void {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    auditLog: (f: Partial<AuditFilter> = {}) => o.store.auditLog({ limit: 100, ...f }),
    prune: () => o.store.pruneSessions(now() - idleMs, now() - maxAgeMs),
  };
  return service;
}
export type AuthService = ReturnType<typeof createAuthService>;
