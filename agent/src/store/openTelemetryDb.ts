import Database from 'better-sqlite3';

/**
 * The telemetry DB (stats, logs) is a separate file with synchronous=NORMAL: losing the last
 * second of samples in a power cut is acceptable, wearing out an SD card with FULL syncs is not.
 * The stats/logs issue fills its schema; the agent opens it now so the file layout is settled.
 */
export function openTelemetryDb(path: string): Database.Database {
  const db = new Database(path);
  // Only effective on a new file: lets retention hand freed pages back to the SD card's filesystem.
  db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}
