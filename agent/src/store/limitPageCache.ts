import type Database from 'better-sqlite3';

/** Each connection's page cache, in KiB: SQLite's own default. */
const PAGE_CACHE_KIB = 2048;

/**
 * better-sqlite3 builds SQLite with a 16 MiB page cache per connection, filled as a file is read
 * and never given back: the agent's five connections (config, auth, and telemetry for the API,
 * the log writer and the log indexer) could hold 80 MiB of its RSS on a unit whose files have
 * grown, and the telemetry ones filled theirs within the soak (issue 20). 2 MiB each is enough:
 * the kernel's page cache keeps the hot pages of the files anyway.
 */
export function limitPageCache(db: Database.Database): void {
  db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
}
