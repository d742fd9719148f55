/**
 * Body of the log indexer thread (logIndexer.ts): lowers its own CPU priority (on Linux a nice
 * value is per thread), then summarizes blocks newest first until none waits, looks again every
 * half second, and leaves after `idleMs` with nothing to do. It only reads: each summary goes to
 * the writer thread to store, so this low-priority thread never holds the write lock the writer
 * needs (a preempted holder would stall the ingest).
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openLogStore } from '../store/logStore.js';
import { openTelemetryDb } from '../store/openTelemetryDb.js';
import { noteDamage } from '../store/openTelemetryOrRebuild.js';
import { reportHeap } from './threadHeap.js';

const { dbPath, idleMs } = workerData as { dbPath: string; idleMs: number };
try {
  setPriority(0, 19);
} catch {
  // A system that refuses still gets its blocks summarized, at normal priority.
}
const db = openTelemetryDb(dbPath);
const store = openLogStore(db);
reportHeap(parentPort);
let idleSince = Date.now();
/** Summaries sent and not yet stored by the writer: not made twice. */
const sent = new Set<string>();
const step = () => {
  let r: ReturnType<typeof store.summarizeNext>;
  try {
    r = store.summarizeNext(sent);
  } catch (e) {
    noteDamage(dbPath, e);
    throw e;
  }
  if (r) {
    sent.add(`${r.id}:${r.n}`);
    parentPort?.postMessage(r);
    idleSince = Date.now();
    // One block per turn: a terminate() between blocks is answered at once.
    setImmediate(step);
    return;
  }
  if (Date.now() - idleSince >= idleMs) {
    db.close();
    process.exit(0);
  }
  setTimeout(step, 500);
};
step();
