import { getHeapStatistics } from 'node:v8';
import type { MessagePort } from 'node:worker_threads';

/** How often a worker thread says its heap size; /metrics shows the last figure. */
const EVERY_MS = 10_000;

/** A worker thread's message with the bytes V8 holds for its isolate. */
export interface HeapReport {
  heapBytes: number;
}

export const isHeapReport = (m: unknown): m is HeapReport =>
  typeof m === 'object' && m !== null && typeof (m as HeapReport).heapBytes === 'number';

/**
 * In a worker thread: says its heap size now and every 10 s. Each thread is a V8 isolate of its
 * own that process.memoryUsage() in the main thread does not see, so without this a growing
 * writer or indexer would show only as RSS nobody can place (the soak, docs/performance.md).
 * The timer is unref'd: it never keeps a thread that has finished alive.
 */
export function reportHeap(port: MessagePort | null): void {
  const say = () => port?.postMessage({ heapBytes: getHeapStatistics().total_heap_size });
  say();
  setInterval(say, EVERY_MS).unref();
}
