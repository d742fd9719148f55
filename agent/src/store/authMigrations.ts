import type { Migration } from './migrate.js';

/** auth.db's schema, one step per change; a step never changes once released. */
export const AUTH_MIGRATIONS: Migration[] = [
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
  // Two-factor sign-in (issue 17): the user's second factor as the pair shares it (JSON of
  // core's SecondFactor, NULL for none), and the last TOTP time step used here, so a code seen
  // once cannot be replayed on this unit.
  (db) =>
    db.exec(`
      ALTER TABLE users ADD COLUMN second_factor TEXT;
      ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
    `),
];
