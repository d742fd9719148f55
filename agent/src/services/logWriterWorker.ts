/**
 * Body of the log writer thread: owns one connection to the telemetry DB and turns each batch of
 * raw lines into rows, one transaction per batch.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openLogStore } from '../store/logStore.js';
import { openTelemetryDb } from '../store/openTelemetryDb.js';
import { writeBatch, type RawLine } from './logWriter.js';

const { dbPath } = workerData as { dbPath: string };
const db = openTelemetryDb(dbPath);
// The writer touches the tail of five indexes and the text index on every batch: a 32 MB page
// cache keeps their hot pages in memory as the file grows, and checkpointing every 16 MB of WAL
// instead of 4 MB means fewer fsyncs per line (ADR 0009; an SD card benefits most).
db.pragma('cache_size = -32000');
db.pragma('wal_autocheckpoint = 4000');
const store = openLogStore(db);
parentPort?.on('message', (m: { id: number; lines: RawLine[] }) => {
  try {
    parentPort?.postMessage({ id: m.id, result: writeBatch(store, m.lines) });
  } catch (e) {
    parentPort?.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
  }
});
