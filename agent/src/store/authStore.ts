import Database from 'better-sqlite3';
import {
  DEFAULT_SIGN_IN_POLICY,
  type AuditEntry,
  type AuditFilter,
  type AuditKind,
  type Role,
  type SecondFactor,
  type SignInPolicyRecord,
  type UserRecord,
} from '@tandem/core';
import { AUTH_MIGRATIONS } from './authMigrations.js';
import { migrate } from './migrate.js';
import { limitPageCache } from './limitPageCache.js';

/** Which actions each kind of the audit page's filter takes (SQL over `action`). */
const KIND_SQL: Record<AuditKind, string> = {
  'sign-in': `action IN ('login', 'login-failed', 'logout', 'setup', 'sudo')`,
  'failed-sign-in': `action = 'login-failed'`,
  change: `(action LIKE 'POST %' OR action LIKE 'PUT %' OR action LIKE 'DELETE %')`,
  apply: `action = 'POST /v1/apply'`,
  rollback: `action = 'POST /v1/rollback'`,
  restore: `action = 'POST /v1/restore'`,
  terminal: `action LIKE 'terminal-%'`,
  users: `action IN ('user-added', 'user-removed', 'user-synced', 'password-reset', 'password-changed', 'two-factor-on', 'two-factor-off', 'recovery-codes-renewed', 'sign-in-policy')`,
};

export interface UserRow {
  name: string;
  role: Role;
  hash: string;
  createdAt: number;
  secondFactor: SecondFactor | null;
}
/** A users row as SQLite gives it. */
interface UserSql {
  name: string;
  role: Role;
  hash: string;
  created_at: number;
  updated_at: number;
  updated_on: string;
  second_factor: string | null;
}
const POLICY_KEY = 'sign_in_policy';
// Written by this store only, from core's schema: read back as it was written.
const factorOf = (json: string | null) => (json ? (JSON.parse(json) as SecondFactor) : null);
export interface SessionRow {
  id: string;
  name: string;
  createdAt: number;
  lastSeen: number;
  sudoUntil: number | null;
}

/** Users, sessions and the audit log (auth.db): WAL, synchronous=FULL, like the config store. */
export function openAuthStore(path: string) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  limitPageCache(db);
  migrate(db, AUTH_MIGRATIONS);
  /**
   * One user's record, as made here or taken from the peer, in one transaction: a removal ends
   * the user (and its sessions); a new password ends its sessions too.
   */
  const putRecordTx = db.transaction((r: UserRecord): void => {
    const before = db.prepare('SELECT hash FROM users WHERE name = ?').pluck().get(r.name) as
      string | undefined;
    if (r.removed) {
      db.prepare('DELETE FROM users WHERE name = ?').run(r.name);
      db.prepare(
        'INSERT INTO removed_users (name, created_at, removed_at, removed_on) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET created_at = excluded.created_at, removed_at = excluded.removed_at, removed_on = excluded.removed_on',
      ).run(r.name, r.createdAt, r.updatedAt, r.updatedOn);
      return;
    }
    db.prepare('DELETE FROM removed_users WHERE name = ?').run(r.name);
    db.prepare(
      'INSERT INTO users (name, role, hash, created_at, updated_at, updated_on, second_factor) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET role = excluded.role, hash = excluded.hash, created_at = excluded.created_at, updated_at = excluded.updated_at, updated_on = excluded.updated_on, second_factor = excluded.second_factor',
    ).run(
      r.name,
      r.role,
      r.hash,
      r.createdAt,
      r.updatedAt,
      r.updatedOn,
      r.secondFactor ? JSON.stringify(r.secondFactor) : null,
    );
    if (before !== undefined && before !== r.hash)
      db.prepare('DELETE FROM sessions WHERE name = ?').run(r.name);
  });
  const putRecord = (r: UserRecord): void => putRecordTx(r);
  const user = (r: UserSql | undefined): UserRow | null =>
    r
      ? {
          name: r.name,
          role: r.role,
          hash: r.hash,
          createdAt: r.created_at,
          secondFactor: factorOf(r.second_factor),
        }
      : null;
  const meta = (key: string) =>
    (db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined) ??
    null;
  const setMeta = (key: string, value: string | null): void =>
    void (value === null
      ? db.prepare('DELETE FROM meta WHERE key = ?').run(key)
      : db
          .prepare(
            'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
          )
          .run(key, value));
  /** A change to one user made here: stamped later than its last one, even in the same ms. */
  const stamped = (set: string, name: string, at: number, on: string, ...values: unknown[]) =>
    void db
      .prepare(
        `UPDATE users SET ${set}, updated_at = MAX(?, updated_at + 1), updated_on = ? WHERE name = ?`,
      )
      .run(...values, at, on, name);
  return {
    userCount: () => db.prepare('SELECT COUNT(*) FROM users').pluck().get() as number,
    adminCount: () =>
      db.prepare("SELECT COUNT(*) FROM users WHERE role = 'admin'").pluck().get() as number,
    user: (name: string): UserRow | null =>
      user(db.prepare('SELECT * FROM users WHERE name = ?').get(name) as UserSql | undefined),
    /** Users as the console lists them: no hash, no secret; whether each has a second factor. */
    users: () =>
      (db.prepare('SELECT * FROM users ORDER BY name').all() as UserSql[]).map((r) => ({
        name: r.name,
        role: r.role,
        createdAt: r.created_at,
        twoFactor: r.second_factor !== null,
      })),
    /** A new user made on this unit (`on`): it replaces an earlier removal of the name. */
    addUser: (u: Omit<UserRow, 'secondFactor'>, on = ''): void =>
      putRecord({
        ...u,
        updatedAt: u.createdAt,
        updatedOn: on,
        removed: false,
        secondFactor: null,
      }),
    setHash: (name: string, hash: string, at = 0, on = ''): void =>
      stamped('hash = ?', name, at, on, hash),
    /** A second factor set up, renewed (recovery codes) or removed (null). */
    setSecondFactor: (name: string, f: SecondFactor | null, at = 0, on = ''): void =>
      stamped('second_factor = ?', name, at, on, f ? JSON.stringify(f) : null),
    /** The last TOTP time step that signed this user in here (0: none): codes are used once. */
    lastStep: (name: string): number =>
      (db.prepare('SELECT totp_last_step FROM users WHERE name = ?').pluck().get(name) as
        number | undefined) ?? 0,
    setLastStep: (name: string, step: number): void =>
      void db.prepare('UPDATE users SET totp_last_step = ? WHERE name = ?').run(step, name),
    signInPolicy: (): SignInPolicyRecord => {
      const v = meta(POLICY_KEY);
      return v ? (JSON.parse(v) as SignInPolicyRecord) : DEFAULT_SIGN_IN_POLICY;
    },
    setSignInPolicy: (p: SignInPolicyRecord): void => setMeta(POLICY_KEY, JSON.stringify(p)),
    removeUser: (name: string, at = 0, on = ''): number => {
      const u = db.prepare('SELECT created_at, updated_at FROM users WHERE name = ?').get(name) as
        { created_at: number; updated_at: number } | undefined;
      if (!u) return 0;
      // Later than the user's last change, even within the same millisecond: the peer takes it.
      const when = Math.max(at, u.updated_at + 1);
      putRecord({
        name,
        role: 'read-only',
        hash: '',
        createdAt: u.created_at,
        updatedAt: when,
        updatedOn: on,
        removed: true,
        secondFactor: null,
      });
      return 1;
    },
    /** Every user and every removal, as the pair shares them. */
    records: (): UserRecord[] => [
      ...(db.prepare('SELECT * FROM users ORDER BY name').all() as UserSql[]).map((r) => ({
        name: r.name,
        role: r.role,
        hash: r.hash,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        updatedOn: r.updated_on,
        removed: false,
        secondFactor: factorOf(r.second_factor),
      })),
      ...(
        db.prepare('SELECT * FROM removed_users ORDER BY name').all() as {
          name: string;
          created_at: number;
          removed_at: number;
          removed_on: string;
        }[]
      ).map((r) => ({
        name: r.name,
        role: 'read-only' as const,
        hash: '',
        createdAt: r.created_at,
        updatedAt: r.removed_at,
        updatedOn: r.removed_on,
        removed: true,
        secondFactor: null,
      })),
    ],
    putRecord,
    session: (id: string): SessionRow | null => {
      const r = db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as
        | {
            id: string;
            name: string;
            created_at: number;
            last_seen: number;
            sudo_until: number | null;
          }
        | undefined;
      return r
        ? {
            id: r.id,
            name: r.name,
            createdAt: r.created_at,
            lastSeen: r.last_seen,
            sudoUntil: r.sudo_until,
          }
        : null;
    },
    addSession: (s: SessionRow): void =>
      void db
        .prepare(
          'INSERT INTO sessions (id, name, created_at, last_seen, sudo_until) VALUES (?, ?, ?, ?, ?)',
        )
        .run(s.id, s.name, s.createdAt, s.lastSeen, s.sudoUntil),
    touch: (id: string, at: number): void =>
      void db.prepare('UPDATE sessions SET last_seen = ? WHERE id = ?').run(at, id),
    setSudo: (id: string, until: number | null): void =>
      void db.prepare('UPDATE sessions SET sudo_until = ? WHERE id = ?').run(until, id),
    removeSession: (id: string): void =>
      void db.prepare('DELETE FROM sessions WHERE id = ?').run(id),
    removeSessionsOf: (name: string): void =>
      void db.prepare('DELETE FROM sessions WHERE name = ?').run(name),
    pruneSessions: (idleBefore: number, createdBefore: number): void =>
      void db
        .prepare('DELETE FROM sessions WHERE last_seen < ? OR created_at < ?')
        .run(idleBefore, createdBefore),
    audit: (a: Omit<AuditEntry, 'id'>): void =>
      void db
        .prepare('INSERT INTO audit (at, user, action, detail, source) VALUES (?, ?, ?, ?, ?)')
        .run(a.at, a.user, a.action, a.detail, a.source),
    /** Newest first, filtered (the audit page); `before` pages back by id. */
    auditLog: (f: AuditFilter): AuditEntry[] => {
      const where: string[] = [];
      const args: (string | number)[] = [];
      const when = (condition: string, ...values: (string | number)[]) => {
        where.push(condition);
        args.push(...values);
      };
      if (f.user !== undefined) when('user = ?', f.user);
      if (f.kind !== undefined) when(KIND_SQL[f.kind]);
      if (f.before !== undefined) when('id < ?', f.before);
      if (f.from !== undefined) when('at >= ?', f.from);
      if (f.to !== undefined) when('at < ?', f.to);
      if (f.q !== undefined) {
        // A word anywhere in what was done, to what, or from where (LIKE's wildcards escaped).
        const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        when(
          `(action LIKE ? ESCAPE '\\' OR detail LIKE ? ESCAPE '\\' OR source LIKE ? ESCAPE '\\')`,
          like,
          like,
          like,
        );
      }
      const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
      return db.prepare(sql).all(...args, f.limit) as AuditEntry[];
    },
    meta,
    setMeta,
    /**
     * Every user record here counts as changed before any other (updated at 0): on a name
     * clash the peer's record wins the merge. What a unit that joins a pair does with its own.
     */
    yieldToPeer: (): void =>
      void db.exec('UPDATE users SET updated_at = 0; UPDATE removed_users SET removed_at = 0;'),
    close: (): void => void db.close(),
  };
}
export type AuthStore = ReturnType<typeof openAuthStore>;
