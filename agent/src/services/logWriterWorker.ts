/**
 * Body of the log writer thread: owns one connection to the telemetry DB and turns each batch of
 * received text into log blocks, one transaction per batch.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openLogStore, type BlockSummaryRecord } from '../store/logStore.js';
import { openTelemetryDb } from '../store/openTelemetryDb.js';
import { noteDamage } from '../store/openTelemetryOrRebuild.js';
import { writeBatch, type RawChunk } from './logWriter.js';
import { reportHeap } from './threadHeap.js';

const { dbPath } = workerData as { dbPath: string };
const db = openTelemetryDb(dbPath);
// Checkpointing every 16 MB of WAL instead of 4 MB means fewer fsyncs per line (ADR 0009; an SD
// card benefits most). Blocks are appended, so the writer needs no large page cache (ADR 0017).
db.pragma('wal_autocheckpoint = 4000');
const store = openLogStore(db);
reportHeap(parentPort);
parentPort?.on(
  'message',
  (m: { id: number; chunks: RawChunk[] } | { summary: BlockSummaryRecord }) => {
    if ('summary' in m) {
      try {
        store.saveSummary(m.summary);
      } catch {
        // The indexer makes it again: the block is still waiting for one.
      }
      return;
    }
    try {
      parentPort?.postMessage({ id: m.id, result: writeBatch(store, m.chunks) });
    } catch (e) {
      noteDamage(dbPath, e);
      parentPort?.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
    }
  },
);
