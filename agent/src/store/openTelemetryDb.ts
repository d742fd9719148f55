import Database from 'better-sqlite3';
import { limitPageCache } from './limitPageCache.js';
import { migrate } from './migrate.js';
import { TELEMETRY_MIGRATIONS } from './telemetrySchema.js';

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
  limitPageCache(db);
  migrate(db, TELEMETRY_MIGRATIONS);
  return db;
}
