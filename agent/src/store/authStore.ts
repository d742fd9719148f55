import Database from 'better-sqlite3';
import type { Role } from '@tandem/core';
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
];

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
export interface AuditRow {
  id: number;
  at: number;
  user: string;
  action: string;
  detail: string;
}

/** Users, sessions and the audit log (auth.db): WAL, synchronous=FULL, like the config store. */
export function openAuthStore(path: string) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS);
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
    addUser: (u: UserRow): void =>
      void db
        .prepare('INSERT INTO users (name, role, hash, created_at) VALUES (?, ?, ?, ?)')
        .run(u.name, u.role, u.hash, u.createdAt),
    setHash: (name: string, hash: string): void =>
      void db.prepare('UPDATE users SET hash = ? WHERE name = ?').run(hash, name),
    removeUser: (name: string) => db.prepare('DELETE FROM users WHERE name = ?').run(name).changes,
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
    audit: (a: Omit<AuditRow, 'id'>): void =>
      void db
        .prepare('INSERT INTO audit (at, user, action, detail) VALUES (?, ?, ?, ?)')
        .run(a.at, a.user, a.action, a.detail),
    auditLog: (limit: number): AuditRow[] =>
      db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT ?').all(limit) as AuditRow[],
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
    close: (): void => void db.close(),
  };
}
export type AuthStore = ReturnType<typeof openAuthStore>;
