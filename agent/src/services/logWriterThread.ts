import { Worker } from 'node:worker_threads';
import type { LogWriter, RawLine, WriteResult } from './logWriter.js';

/**
 * The log writer in a worker thread with its own connection to the telemetry DB (WAL lets the
 * API's readers go on meanwhile). On a 2-core board this moves parsing and SQLite off the event
 * loop, which keeps the API and the stats sampler responsive under a log flood (ADR 0009).
 */
export function createThreadLogWriter(
  dbPath: string,
  o: { log?: (m: string) => void; maxRestarts?: number } = {},
): LogWriter {
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

  /**
   * A thread that dies takes its batch with it (rejected: the ingest counts it as dropped) and
   * is started again; one that keeps dying leaves the writer failed, and every write says so at
   * once instead of waiting forever for an answer that will not come (which stalled the ingest).
   */
  const start = (): Worker => {
    const w = new Worker(new URL('./logWriterWorker.js', import.meta.url), {
      workerData: { dbPath },
    });
    w.on('message', (m: { id: number; result?: WriteResult; error?: string }) => {
      const p = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.result) p?.resolve(m.result);
      else p?.reject(new Error(m.error ?? 'the log writer failed'));
    });
    w.on('error', (e) => failAll(e));
    w.on('exit', (code) => {
      const e = new Error(`the log writer thread exited (${code})`);
      failAll(e);
      if (closing) return;
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
  let worker = start();

  return {
    write(lines: readonly RawLine[]) {
      if (dead) return Promise.reject(dead);
      const id = next++;
      return new Promise<WriteResult>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, lines });
      });
    },
    async close() {
      closing = true;
      await worker.terminate();
    },
  };
}
