import { toStoredLine } from '@tandem/core';
import type { BlockSummaryRecord, LogStore } from '../store/logStore.js';

/**
 * Lines as they arrived: one or more whole lines (separated by `\n`), as the bytes the socket
 * gave or as text, and when. The ingest passes what it read, not a string per line: handing a
 * batch to the writer thread is then a copy of a few buffers, and decoding happens there.
 */
export type RawChunk = ({ bytes: Uint8Array } | { text: string }) & { receivedAt: number };

const textOf = (c: RawChunk) =>
  'text' in c
    ? c.text
    : Buffer.from(c.bytes.buffer, c.bytes.byteOffset, c.bytes.byteLength).toString('utf8');

export interface WriteResult {
  stored: number;
}

/**
 * Stores batches of log lines. The agent uses the worker-thread writer (SQLite off the event
 * loop, see logWriterThread.ts); tests and tools can use this one in-thread.
 */
export interface LogWriter {
  write(chunks: readonly RawChunk[]): Promise<WriteResult>;
  /** Stores a block summary from the indexer (ADR 0017), in the writer's order. */
  saveSummary(r: BlockSummaryRecord): void;
  close(): Promise<void>;
}

/** Split and store one batch in one transaction: shared by both writers. */
export function writeBatch(
  store: Pick<LogStore, 'append'>,
  chunks: readonly RawChunk[],
  now = Date.now(),
): WriteResult {
  const lines: string[] = [];
  for (const c of chunks)
    for (const l of textOf(c).split('\n')) if (l !== '') lines.push(toStoredLine(l, c.receivedAt));
  store.append(lines, now);
  return { stored: lines.length };
}

export function createInThreadLogWriter(
  store: Pick<LogStore, 'append' | 'saveSummary'>,
): LogWriter {
  return {
    write: (chunks) => Promise.resolve().then(() => writeBatch(store, chunks)),
    saveSummary: (r) => store.saveSummary(r),
    close: () => Promise.resolve(),
  };
}
