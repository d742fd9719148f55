import type Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { openTelemetryDb } from './openTelemetryDb.js';

/** Next to the telemetry DB: "check it at the next start" (its reader or writer met damage). */
export const checkMarker = (path: string) => `${path}.check`;

/** SQLite's words for a damaged file (better-sqlite3 codes SQLITE_CORRUPT, SQLITE_NOTADB). */
export const isDamage = (e: unknown) =>
  /SQLITE_(CORRUPT|NOTADB)/.test(String((e as { code?: unknown })?.code ?? '')) ||
  /malformed|not a database/i.test(e instanceof Error ? e.message : String(e));

/** Asks for a check at the next start, if `e` says the file is damaged; never throws. */
export function noteDamage(path: string, e: unknown): void {
  if (!isDamage(e)) return;
  try {
    writeFileSync(checkMarker(path), `${e instanceof Error ? e.message : String(e)}\n`);
  } catch {
    // The next failure asks again.
  }
}

export interface OpenedTelemetry {
  db: Database.Database;
  /** Set when the file was damaged: where it was kept and why; telemetry starts afresh. */
  setAside: { path: string; reason: string } | null;
}

/**
 * Opens the telemetry DB (logs, stats, events). Telemetry is not the unit's state: a damaged file
 * (a power cut on a card that lies about its writes, a bad sector) must not keep the agent, its
 * config store or the service from starting. The file is set aside, kept for a post-mortem, and a
 * new one made. A full `quick_check` reads the whole file (hundreds of MB on an SD card at every
 * boot), so it runs only when asked: a damaged header fails the open itself, and damage met while
 * running leaves a marker (noteDamage) for the next start.
 */
export function openTelemetryOrRebuild(path: string, stamp: string): OpenedTelemetry {
  let reason: string;
  try {
    const db = openTelemetryDb(path);
    if (!existsSync(checkMarker(path))) return { db, setAside: null };
    const check = String(db.pragma('quick_check', { simple: true }));
    if (check === 'ok') {
      rmSync(checkMarker(path), { force: true });
      return { db, setAside: null };
    }
    db.close();
    reason = `quick_check: ${check}`;
  } catch (e) {
    if (!isDamage(e)) throw e;
    reason = e instanceof Error ? e.message : String(e);
  }
  const aside = `${path}.damaged-${stamp}`;
  renameSync(path, aside);
  for (const suffix of ['-wal', '-shm'])
    if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
  rmSync(checkMarker(path), { force: true });
  return { db: openTelemetryDb(path), setAside: { path: aside, reason } };
}
