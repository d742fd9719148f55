import Database from 'better-sqlite3';
import { migrate } from './migrate.js';
import { TELEMETRY_MIGRATIONS } from './telemetrySchema.js';

/** Each telemetry connection's page cache, in KiB. */
const TELEMETRY_CACHE_KIB = 2048;

/**
 * The telemetry DB (logs, stats, events) is a separate file with synchronous=NORMAL: losing the
 * last second of samples in a power cut is acceptable, wearing out an SD card with FULL syncs is
 * not. WAL lets the API read while the ingest writes.
 */
export function openTelemetryDb(path: string): Database.Database {
  const db = new Database(path);
  // Only effective on a new file: lets retention hand freed pages back to the SD card's filesystem.
  db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // A reader and the ingest's writer share the file; wait for each other rather than fail.
  db.pragma('busy_timeout = 5000');
  // better-sqlite3 builds SQLite with a 16 MiB page cache per connection, and three connections
  // (API, log writer, log indexer) walk a file of hundreds of MiB: up to 48 MiB of the agent's
  // RSS, filled as the file is read (the soak, issue 20). 2 MiB each, SQLite's own default; the
  // kernel's page cache keeps the hot pages of the file anyway.
  db.pragma(`cache_size = -${TELEMETRY_CACHE_KIB}`);
  migrate(db, TELEMETRY_MIGRATIONS);
  return db;
}
