import { Worker } from 'node:worker_threads';
import type { BlockSummaryRecord } from '../store/logStore.js';
import { isHeapReport, type HeapReport } from './threadHeap.js';

/** What the ingest needs of the indexer: a nudge after each stored batch. */
export interface LogIndexer {
  poke(): void;
  close(): Promise<void>;
}

/**
 * The log indexer (ADR 0017) in a worker thread of its own at the lowest CPU priority: it adds
 * each stored block's summary (filter values, Bloom filter), newest first. Under load it yields
 * the CPU to HAProxy and falls behind, which only makes queries read the blocks it has not done
 * yet; when the load passes it catches up. Like the writer thread it starts with work and leaves
 * when there is none (a thread is a whole V8 isolate, issue 15's idle memory).
 */
export function createThreadLogIndexer(
  dbPath: string,
  o: {
    log: (m: string) => void;
    /** A block's summary, for the writer to store. */
    onSummary: (r: BlockSummaryRecord) => void;
    /** How long the thread waits for new blocks before it leaves (ms). */
    idleMs?: number;
    /** Tests only: a stand-in for the built logIndexerWorker.js. */
    workerUrl?: URL;
  },
): LogIndexer & { running(): boolean; heapBytes(): number } {
  const url = o.workerUrl ?? new URL('./logIndexerWorker.js', import.meta.url);
  let worker: Worker | null = null;
  let poked = false;
  let closing = false;
  let failures = 0;
  let heapBytes = 0;
  const start = (): Worker => {
    poked = false;
    const w = new Worker(url, { workerData: { dbPath, idleMs: o.idleMs ?? 30_000 } });
    w.on('message', (m: BlockSummaryRecord | HeapReport) => {
      if (!isHeapReport(m)) o.onSummary(m);
      else if (worker === w) heapBytes = m.heapBytes;
    });
    w.on('error', (e) => o.log(`log indexer: ${e.message}`));
    w.on('exit', (code) => {
      if (worker === w) {
        worker = null;
        heapBytes = 0;
      }
      if (closing) return;
      if (code !== 0) {
        failures++;
        o.log(
          `the log indexer thread exited (${code})${failures > 3 ? '; not restarted again: queries read every block' : ''}`,
        );
      }
      // A batch stored while the thread was leaving is not left waiting for the next one.
      if (poked && failures <= 3) worker = start();
    });
    return w;
  };
  return {
    poke() {
      if (closing || failures > 3) return;
      if (worker) poked = true;
      else worker = start();
    },
    running: () => worker !== null,
    heapBytes: () => heapBytes,
    async close() {
      closing = true;
      await worker?.terminate();
    },
  };
}
