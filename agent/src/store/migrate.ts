import type { Database } from 'better-sqlite3';

export type Migration = (db: Database) => void;

/**
 * Runs the migrations a database has not seen yet, each in its own transaction together with the
 * bump of `user_version`, so a crash leaves the schema at a whole step.
 */
export function migrate(db: Database, migrations: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  migrations.slice(current).forEach((m, i) => {
    db.transaction(() => {
      m(db);
      db.pragma(`user_version = ${current + i + 1}`);
    })();
  });
}
