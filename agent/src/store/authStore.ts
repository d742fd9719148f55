import Database from 'better-sqlite3';
import type { AuditEntry, AuditFilter, AuditKind, Role, UserRecord } from '@tandem/core';
import { migrate, type Migration } from './migrate.js';

const MIGRATIONS: Migration[] = [
  (db) =>
    db.exec(`
      CREATE TABLE users (
        name       TEXT PRIMARY KEY,
        role       TEXT NOT NULL,
        hash       TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      -- Sessions are stored by the SHA-256 of their token: a copy of this file opens no session.
      CREATE TABLE sessions (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        last_seen  INTEGER NOT NULL,
        sudo_until INTEGER
      );
      CREATE TABLE audit (
        id     INTEGER PRIMARY KEY,
        at     INTEGER NOT NULL,
        user   TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL
      );
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `),
  // Users shared by a pair (ADR 0015): when and on which unit each last changed, and removals
  // kept as records so the peer that still has the user does not bring it back.
  (db) =>
    db.exec(`
      ALTER TABLE users ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE users ADD COLUMN updated_on TEXT NOT NULL DEFAULT '';
      CREATE TABLE removed_users (
        name       TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        removed_at INTEGER NOT NULL,
        removed_on TEXT NOT NULL
      );
    `),
  // The audit page (issue 17): where each action came from (the browser's address as the
  // console saw it; empty for the local operator and for older rows).
  (db) => db.exec(`ALTER TABLE audit ADD COLUMN source TEXT NOT NULL DEFAULT ''`),
];

/** Which actions each kind of the audit page's filter takes (SQL over `action`). */
const KIND_SQL: Record<AuditKind, string> = {
  'sign-in': `action IN ('login', 'login-failed', 'logout', 'setup', 'sudo')`,
  'failed-sign-in': `action = 'login-failed'`,
  change: `(action LIKE 'POST %' OR action LIKE 'PUT %' OR action LIKE 'DELETE %')`,
  apply: `action = 'POST /v1/apply'`,
  rollback: `action = 'POST /v1/rollback'`,
  restore: `action = 'POST /v1/restore'`,
  terminal: `action LIKE 'terminal-%'`,
  users: `action IN ('user-added', 'user-removed', 'user-synced', 'password-reset', 'password-changed')`,
};

export interface UserRow {
  name: string;
  role: Role;
  hash: string;
  createdAt: number;
}
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
  migrate(db, MIGRATIONS);
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
      'INSERT INTO users (name, role, hash, created_at, updated_at, updated_on) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET role = excluded.role, hash = excluded.hash, created_at = excluded.created_at, updated_at = excluded.updated_at, updated_on = excluded.updated_on',
    ).run(r.name, r.role, r.hash, r.createdAt, r.updatedAt, r.updatedOn);
    if (before !== undefined && before !== r.hash)
      db.prepare('DELETE FROM sessions WHERE name = ?').run(r.name);
  });
  const putRecord = (r: UserRecord): void => putRecordTx(r);
  const user = (r: { name: string; role: Role; hash: string; created_at: number } | undefined) =>
    r ? { name: r.name, role: r.role, hash: r.hash, createdAt: r.created_at } : null;
  return {
    userCount: () => db.prepare('SELECT COUNT(*) FROM users').pluck().get() as number,
    adminCount: () =>
      db.prepare("SELECT COUNT(*) FROM users WHERE role = 'admin'").pluck().get() as number,
    user: (name: string): UserRow | null =>
      user(
        db.prepare('SELECT * FROM users WHERE name = ?').get(name) as Parameters<typeof user>[0],
      ),
    users: (): Omit<UserRow, 'hash'>[] =>
      (
        db.prepare('SELECT name, role, created_at FROM users ORDER BY name').all() as {
          name: string;
          role: Role;
          created_at: number;
        }[]
      ).map((r) => ({ name: r.name, role: r.role, createdAt: r.created_at })),
    /** A new user made on this unit (`on`): it replaces an earlier removal of the name. */
    addUser: (u: UserRow, on = ''): void =>
      putRecord({ ...u, updatedAt: u.createdAt, updatedOn: on, removed: false }),
    setHash: (name: string, hash: string, at = 0, on = ''): void =>
      void db
        .prepare(
          'UPDATE users SET hash = ?, updated_at = MAX(?, updated_at + 1), updated_on = ? WHERE name = ?',
        )
        .run(hash, at, on, name),
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
      });
      return 1;
    },
    /** Every user and every removal, as the pair shares them. */
    records: (): UserRecord[] => [
      ...(
        db.prepare('SELECT * FROM users ORDER BY name').all() as {
          name: string;
          role: Role;
          hash: string;
          created_at: number;
          updated_at: number;
          updated_on: string;
        }[]
      ).map((r) => ({
        name: r.name,
        role: r.role,
        hash: r.hash,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        updatedOn: r.updated_on,
        removed: false,
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
    meta: (key: string) =>
      (db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined) ??
      null,
    setMeta: (key: string, value: string | null): void =>
      void (value === null
        ? db.prepare('DELETE FROM meta WHERE key = ?').run(key)
        : db
            .prepare(
              'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
            )
            .run(key, value)),
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
