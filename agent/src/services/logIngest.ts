import type { LogConnection, LogListener } from '../adapters/logListener.js';
import type { LogWriter, RawLine } from './logWriter.js';

export interface IngestMetrics {
  received: number;
  stored: number;
  parseErrors: number;
  /** Lines the store could not take (a failed write); backpressure makes the queue itself lossless. */
  dropped: number;
  queued: number;
}

/** The worker PID in an RFC 3164 header: `<134>Nov 30 16:12:27 host haproxy[18544]: ...`. */
const PID_RE = /^<\d+>[^[]{0,80}?\[(\d+)\]:/;

/** Lines handed to the writer at once: one transaction each. */
const MAX_BATCH = 5_000;

/**
 * HAProxy forwards its log ring to the agent over TCP on loopback, one RFC 3164 line per `\n`
 * (ADR 0008). The connection handler only splits and queues; the writer (a worker thread in the
 * agent, ADR 0009) parses and stores one batch at a time, in one transaction. When the queue is
 * full the agent stops reading: TCP pushes back, HAProxy's ring buffers, and nothing is dropped
 * silently on the way.
 */
export function createLogIngest(o: {
  writer: LogWriter;
  listener: LogListener;
  batchMs?: number;
  maxQueue?: number;
  log: (m: string) => void;
}) {
  const queue: RawLine[] = [];
  const metrics: IngestMetrics = { received: 0, stored: 0, parseErrors: 0, dropped: 0, queued: 0 };
  const maxQueue = o.maxQueue ?? 50_000;
  const paused = new Set<LogConnection>();
  const open = new Set<LogConnection>();
  // Per worker PID (from the syslog header): its forwarder connection and the last line it
  // delivered, which the reload tap needs to know where the forwarder stopped.
  const forwarders = new Map<number, { open: boolean; last: string | null }>();
  let server: { close(): Promise<void> } | null = null;
  let timer: NodeJS.Timeout | null = null;

  let writing: Promise<void> | null = null;
  let inWriter = 0;

  const resume = () => {
    if (queue.length >= maxQueue) return;
    for (const s of paused) s.resume();
    paused.clear();
  };

  /** Hands the next batch to the writer; batches follow one another, in arrival order. */
  const flush = (): Promise<void> => {
    if (writing || queue.length === 0) {
      resume();
      return writing ?? Promise.resolve();
    }
    const batch = queue.splice(0, MAX_BATCH);
    inWriter = batch.length;
    resume();
    writing = o.writer
      .write(batch)
      .then(
        (r) => {
          metrics.stored += r.stored;
          metrics.parseErrors += r.parseErrors;
        },
        (e: unknown) => {
          metrics.dropped += batch.length;
          o.log(
            `could not store ${batch.length} log lines: ${e instanceof Error ? e.message : String(e)}`,
          );
        },
      )
      .finally(() => {
        writing = null;
        inWriter = 0;
        // A backlog goes out at once instead of waiting for the timer.
        if (queue.length >= MAX_BATCH) void flush();
      });
    return writing;
  };

  const onConnection = (sock: LogConnection) => {
    open.add(sock);
    let partial = '';
    let pid = 0;
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
      let last: string | null = null;
      for (const l of lines) {
        if (l === '') continue;
        queue.push({ raw: l, receivedAt: now });
        last = l;
      }
      metrics.received += lines.length;
      if (last !== null) {
        if (pid === 0) pid = Number(PID_RE.exec(last)?.[1] ?? 0);
        if (pid > 0) forwarders.set(pid, { open: true, last });
      }
      if (queue.length >= maxQueue) {
        void flush();
        sock.pause();
        paused.add(sock);
      }
    });
    sock.on('error', () => undefined);
    sock.on('close', () => {
      paused.delete(sock);
      open.delete(sock);
      const f = forwarders.get(pid);
      if (f) f.open = false;
    });
  };

  return {
    async start(): Promise<void> {
      server = await o.listener.listen(onConnection);
      timer = setInterval(() => void flush(), o.batchMs ?? 100);
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      // HAProxy keeps its ring connection open; close() alone would wait for it forever.
      for (const s of open) s.destroy();
      while (writing || queue.length > 0) await flush();
      await o.writer.close();
      await server?.close();
      server = null;
    },
    metrics: (): IngestMetrics => ({ ...metrics, queued: queue.length + inWriter }),
    lastLineOf: (p: number) => forwarders.get(p)?.last ?? null,
    forwarding: (p: number) => forwarders.get(p)?.open === true,
    /** Lines read another way (the reload tap): queued like forwarded ones. */
    push(lines: readonly string[]): void {
      const now = Date.now();
      for (const l of lines) queue.push({ raw: l, receivedAt: now });
      metrics.received += lines.length;
    },
  };
}
export type LogIngest = ReturnType<typeof createLogIngest>;
