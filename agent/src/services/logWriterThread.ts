import { Worker } from 'node:worker_threads';
import type { LogWriter, RawLine, WriteResult } from './logWriter.js';

/**
 * The log writer in a worker thread with its own connection to the telemetry DB (WAL lets the
 * API's readers go on meanwhile). On a 2-core board this moves parsing and SQLite off the event
 * loop, which keeps the API and the stats sampler responsive under a log flood (ADR 0009).
 */
export function createThreadLogWriter(dbPath: string): LogWriter {
  const worker = new Worker(new URL('./logWriterWorker.js', import.meta.url), {
    workerData: { dbPath },
  });
  let next = 0;
  const waiting = new Map<
    number,
    { resolve: (r: WriteResult) => void; reject: (e: Error) => void }
  >();
  worker.on('message', (m: { id: number; result?: WriteResult; error?: string }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.result) w?.resolve(m.result);
    else w?.reject(new Error(m.error ?? 'the log writer failed'));
  });
  const failAll = (e: Error) => {
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the log writer thread exited (${code})`)));
  return {
    write(lines: readonly RawLine[]) {
      const id = next++;
      return new Promise<WriteResult>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, lines });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
