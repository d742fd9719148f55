import { createServer, type Server, type Socket } from 'node:net';
import { parseHaproxyLog } from '@tandem/core';
import type { LogStore } from '../store/logStore.js';

export interface IngestMetrics {
  received: number;
  stored: number;
  parseErrors: number;
  /** Lines the store could not take (a failed write); backpressure makes the queue itself lossless. */
  dropped: number;
  queued: number;
}

/**
 * HAProxy forwards its log ring to the agent over TCP on loopback, one RFC 3164 line per `\n`
 * (ADR 0008). The connection handler only splits and queues; a timer parses and stores each batch
 * in one transaction. When the queue is full the agent stops reading: TCP pushes back, HAProxy's
 * ring buffers, and nothing is dropped silently on the way.
 */
export function createLogIngest(o: {
  store: LogStore;
  port: number;
  batchMs?: number;
  maxQueue?: number;
  log: (m: string) => void;
}) {
  const queue: { raw: string; receivedAt: number }[] = [];
  const metrics: IngestMetrics = { received: 0, stored: 0, parseErrors: 0, dropped: 0, queued: 0 };
  const maxQueue = o.maxQueue ?? 50_000;
  const paused = new Set<Socket>();
  const open = new Set<Socket>();
  let server: Server | null = null;
  let timer: NodeJS.Timeout | null = null;

  const flush = () => {
    if (queue.length > 0) {
      const batch = queue
        .splice(0, queue.length)
        .map((q) => ({ result: parseHaproxyLog(q.raw), receivedAt: q.receivedAt }));
      try {
        o.store.insert(batch);
        metrics.stored += batch.length;
        metrics.parseErrors += batch.filter((b) => !b.result.ok).length;
      } catch (e) {
        metrics.dropped += batch.length;
        o.log(
          `could not store ${batch.length} log lines: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    }
    for (const s of paused) s.resume();
    paused.clear();
  };

  const onConnection = (sock: Socket) => {
    open.add(sock);
    let partial = '';
    sock.setEncoding('utf8');
    sock.on('data', (chunk: string) => {
      const text = partial + chunk;
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      // A line with no newline in 64 KiB is not a log line; keep it as one raw line.
      if (partial.length > 65_536) {
        lines.push(partial);
        partial = '';
      }
      const now = Date.now();
      for (const l of lines) if (l !== '') queue.push({ raw: l, receivedAt: now });
      metrics.received += lines.length;
      if (queue.length >= maxQueue) {
        sock.pause();
        paused.add(sock);
      }
    });
    sock.on('error', () => undefined);
    sock.on('close', () => {
      paused.delete(sock);
      open.delete(sock);
    });
  };

  return {
    async start(): Promise<void> {
      const s = createServer(onConnection);
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(o.port, '127.0.0.1', () => {
          s.off('error', reject);
          resolve();
        });
      });
      server = s;
      timer = setInterval(flush, o.batchMs ?? 200);
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      // HAProxy keeps its ring connection open; close() alone would wait for it forever.
      for (const s of open) s.destroy();
      flush();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = null;
    },
    flush,
    metrics: (): IngestMetrics => ({ ...metrics, queued: queue.length }),
  };
}
export type LogIngest = ReturnType<typeof createLogIngest>;
