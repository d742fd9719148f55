import { parseHaproxyLog } from '@tandem/core';
import type { LogStore } from '../store/logStore.js';

/** Raw lines as they arrived, on their way to the log store. */
export interface RawLine {
  raw: string;
  receivedAt: number;
}

export interface WriteResult {
  stored: number;
  parseErrors: number;
}

/**
 * Parses and stores batches of log lines. The agent uses the worker-thread writer (parsing and
 * SQLite off the event loop, see logWriterThread.ts); tests and tools can use this one in-thread.
 */
export interface LogWriter {
  write(lines: readonly RawLine[]): Promise<WriteResult>;
  close(): Promise<void>;
}

/** Parse and insert one batch in one transaction: shared by both writers. */
export function writeBatch(
  store: Pick<LogStore, 'insert'>,
  lines: readonly RawLine[],
): WriteResult {
  const batch = lines.map((l) => ({ result: parseHaproxyLog(l.raw), receivedAt: l.receivedAt }));
  store.insert(batch);
  return { stored: batch.length, parseErrors: batch.filter((b) => !b.result.ok).length };
}

export function createInThreadLogWriter(store: Pick<LogStore, 'insert'>): LogWriter {
  return {
    write: (lines) => Promise.resolve().then(() => writeBatch(store, lines)),
    close: () => Promise.resolve(),
  };
}
