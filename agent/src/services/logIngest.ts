import { createSocket, type Socket } from 'node:dgram';
import { parseHaproxyLog } from '@tandem/core';
import type { LogStore } from '../store/logStore.js';

export interface IngestMetrics {
  received: number;
  stored: number;
  parseErrors: number;
  /** Lines refused because the queue was full (the store could not keep up). */
  dropped: number;
  queued: number;
}

/**
 * HAProxy's logs arrive as UDP datagrams on loopback (ADR 0008). The message handler only
 * queues; a timer parses and stores each batch in one transaction, so a burst costs a few fsyncs.
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
  const maxQueue = o.maxQueue ?? 100_000;
  let socket: Socket | null = null;
  let timer: NodeJS.Timeout | null = null;

  const flush = () => {
    if (queue.length === 0) return;
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
  };

  return {
    async start(): Promise<void> {
      const s = createSocket('udp4');
      s.on('message', (msg) => {
        metrics.received++;
        if (queue.length >= maxQueue) {
          metrics.dropped++;
          return;
        }
        queue.push({ raw: msg.toString('utf8'), receivedAt: Date.now() });
      });
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.bind(o.port, '127.0.0.1', () => {
          s.off('error', reject);
          resolve();
        });
      });
      // A bigger kernel buffer rides out bursts while a batch is being written.
      try {
        s.setRecvBufferSize(8 * 1024 * 1024);
      } catch {
        // The kernel may cap it (net.core.rmem_max); the default still works.
      }
      socket = s;
      timer = setInterval(flush, o.batchMs ?? 200);
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      flush();
      await new Promise<void>((resolve) => (socket ? socket.close(() => resolve()) : resolve()));
      socket = null;
    },
    flush,
    metrics: (): IngestMetrics => ({ ...metrics, queued: queue.length }),
  };
}
export type LogIngest = ReturnType<typeof createLogIngest>;
