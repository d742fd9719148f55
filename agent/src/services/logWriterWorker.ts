/**
 * Body of the log writer thread: owns one connection to the telemetry DB and turns each batch of
 * raw lines into rows, one transaction per batch.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openLogStore } from '../store/logStore.js';
import { openTelemetryDb } from '../store/openTelemetryDb.js';
import { writeBatch, type RawLine } from './logWriter.js';

const { dbPath } = workerData as { dbPath: string };
const store = openLogStore(openTelemetryDb(dbPath));
parentPort?.on('message', (m: { id: number; lines: RawLine[] }) => {
  try {
    parentPort?.postMessage({ id: m.id, result: writeBatch(store, m.lines) });
  } catch (e) {
    parentPort?.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
  }
});
