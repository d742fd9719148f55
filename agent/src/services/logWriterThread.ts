import { Worker } from 'node:worker_threads';
import type { LogWriter, RawChunk, WriteResult } from './logWriter.js';
import { isHeapReport } from './threadHeap.js';

/**
 * The log writer in a worker thread with its own connection to the telemetry DB (WAL lets the
 * API's readers go on meanwhile). On a 2-core board this moves parsing and SQLite off the event
 * loop, which keeps the API and the stats sampler responsive under a log flood (ADR 0009).
 *
 * The thread is started by the first batch and leaves after `idleMs` with nothing to write: a
 * thread is a whole V8 isolate (~12 MB), and a unit nobody sends traffic through should not pay
 * for it (issue 15's idle memory target). Starting one again costs a few milliseconds, once per
 * burst of traffic.
 */
export function createThreadLogWriter(
  dbPath: string,
  o: {
    log?: (m: string) => void;
    maxRestarts?: number;
    idleMs?: number;
    /** Tests only: a stand-in for the built logWriterWorker.js. */
    workerUrl?: URL;
  } = {},
): LogWriter & { running(): boolean; heapBytes(): number } {
  let next = 0;
  const waiting = new Map<
    number,
    { resolve: (r: WriteResult) => void; reject: (e: Error) => void }
  >();
  const failAll = (e: Error) => {
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  let closing = false;
  let dead: Error | null = null;
  let restarts = 0;
  const maxRestarts = o.maxRestarts ?? 3;
  const idleMs = o.idleMs ?? 60_000;
  const url = o.workerUrl ?? new URL('./logWriterWorker.js', import.meta.url);
  let worker: Worker | null = null;
  let idle: NodeJS.Timeout | undefined;
  let heapBytes = 0;

  /**
   * A thread that dies takes its batch with it (rejected: the ingest counts it as dropped) and
   * is started again; one that keeps dying leaves the writer failed, and every write says so at
   * once instead of waiting forever for an answer that will not come (which stalled the ingest).
   * A thread retired for being idle has nothing in flight and is not a failure.
   */
  const start = (): Worker => {
    const w = new Worker(url, { workerData: { dbPath } });
    let retired = false;
    w.on('message', (m: { id: number; result?: WriteResult; error?: string }) => {
      if (isHeapReport(m)) {
        if (worker === w) heapBytes = m.heapBytes;
        return;
      }
      const p = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.result) p?.resolve(m.result);
      else p?.reject(new Error(m.error ?? 'the log writer failed'));
      if (waiting.size === 0) {
        clearTimeout(idle);
        idle = setTimeout(() => {
          if (waiting.size > 0 || worker !== w) return;
          retired = true;
          worker = null;
          void w.terminate();
        }, idleMs).unref();
      }
    });
    w.on('error', (e) => failAll(e));
    w.on('exit', (code) => {
      if (worker === w || worker === null) heapBytes = 0;
      if (retired || closing) return;
      const e = new Error(`the log writer thread exited (${code})`);
      failAll(e);
      if (worker === w) worker = null;
      if (restarts >= maxRestarts) {
        dead = e;
        o.log?.(`${e.message}; not restarted again: log lines are counted as dropped`);
        return;
      }
      restarts++;
      o.log?.(`${e.message}; restarting it`);
      worker = start();
    });
    return w;
  };

  return {
    write(chunks: readonly RawChunk[]) {
      if (dead) return Promise.reject(dead);
      const id = next++;
      clearTimeout(idle);
      worker ??= start();
      const w = worker;
      return new Promise<WriteResult>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        w.postMessage({ id, chunks });
      });
    },
    saveSummary(r) {
      if (dead || closing) return;
      clearTimeout(idle);
      worker ??= start();
      worker.postMessage({ summary: r });
    },
    running: () => worker !== null,
    heapBytes: () => heapBytes,
    async close() {
      closing = true;
      clearTimeout(idle);
      await worker?.terminate();
    },
  };
}
