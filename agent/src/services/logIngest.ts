import type { LogConnection, LogListener } from '../adapters/logListener.js';
import type { BlockSummaryRecord } from '../store/logStore.js';
import type { LogIndexer } from './logIndexer.js';
import type { LogWriter, RawChunk } from './logWriter.js';

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

/** Lines handed to the writer at once (about): one transaction and one log block each. */
const MAX_BATCH = 5_000;

const NEWLINE = Buffer.from('\n');
/** A read this large (Node reads 64 KiB at a time) did not empty the socket. */
const FULL_READ = 60 * 1024;

/**
 * The batch's bytes copied into one buffer of their own: a chunk read from a socket is a view of
 * a larger read buffer, and handing views to the writer thread would copy each whole buffer.
 */
function standalone(batch: readonly RawChunk[]): RawChunk[] {
  let total = 0;
  for (const c of batch) if ('bytes' in c) total += c.bytes.byteLength;
  const joined = new Uint8Array(total);
  let at = 0;
  return batch.map((c) => {
    if (!('bytes' in c)) return { text: c.text, receivedAt: c.receivedAt };
    joined.set(c.bytes, at);
    at += c.bytes.byteLength;
    return { bytes: joined.subarray(at - c.bytes.byteLength, at), receivedAt: c.receivedAt };
  });
}

/** The non-empty lines of bytes whose lines are separated by `\n`. */
function countLines(bytes: Buffer): number {
  let n = 0;
  let start = 0;
  for (;;) {
    const end = bytes.indexOf(10, start);
    const stop = end < 0 ? bytes.length : end;
    if (stop > start) n++;
    if (end < 0) return n;
    start = end + 1;
  }
}

/**
 * HAProxy forwards its log ring to the agent over TCP on loopback, one RFC 3164 line per `\n`
 * (ADR 0008). The connection handler only finds the last whole line of what arrived and queues
 * the text (ADR 0017: no string per line on the event loop); the writer (a worker thread in the
 * agent, ADR 0009) splits and stores one batch at a time, in one transaction. When the queue is
 * full the agent stops reading: TCP pushes back, HAProxy's ring buffers, and nothing is dropped
 * silently on the way.
 */
export function createLogIngest(o: {
  writer: LogWriter;
  /** Summarizes stored blocks in the background (ADR 0017); told after each stored batch. */
  indexer?: LogIndexer;
  listener: LogListener;
  batchMs?: number;
  maxQueue?: number;
  /** Pause between reads of a forwarder's connection (ms; 0: read as data comes). */
  readPaceMs?: number;
  log: (m: string) => void;
}) {
  const queue: (RawChunk & { lines: number })[] = [];
  let queuedLines = 0;
  const metrics: IngestMetrics = { received: 0, stored: 0, parseErrors: 0, dropped: 0, queued: 0 };
  const maxQueue = o.maxQueue ?? 50_000;
  const readPaceMs = o.readPaceMs ?? 10;
  /** Connections resting between paced reads, with the timer that resumes each. */
  const pacing = new Map<LogConnection, NodeJS.Timeout>();
  let eager = false;
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
    if (queuedLines >= maxQueue) return;
    for (const s of paused) s.resume();
    paused.clear();
  };

  /** Hands the next batch to the writer; batches follow one another, in arrival order. */
  const flush = (): Promise<void> => {
    if (writing || queue.length === 0) {
      resume();
      return writing ?? Promise.resolve();
    }
    let count = 0;
    let take = 0;
    while (take < queue.length && count < MAX_BATCH) count += queue[take++]?.lines ?? 0;
    const batch = queue.splice(0, take);
    queuedLines -= count;
    inWriter = count;
    resume();
    writing = o.writer
      .write(standalone(batch))
      .then(
        (r) => {
          metrics.stored += r.stored;
          o.indexer?.poke();
        },
        (e: unknown) => {
          metrics.dropped += count;
          o.log(
            `could not store ${count} log lines: ${e instanceof Error ? e.message : String(e)}`,
          );
        },
      )
      .finally(() => {
        writing = null;
        inWriter = 0;
        // A backlog goes out at once instead of waiting for the timer.
        if (queuedLines >= MAX_BATCH) void flush();
      });
    return writing;
  };

  const onConnection = (sock: LogConnection) => {
    open.add(sock);
    let partial: Buffer | null = null;
    let pid = 0;
    /** Queues whole lines (no trailing newline) and notes the last one for the reload tap. */
    const take = (whole: Buffer) => {
      const lines = countLines(whole);
      if (lines === 0) return;
      queue.push({ bytes: whole, receivedAt: Date.now(), lines });
      queuedLines += lines;
      metrics.received += lines;
      const last = whole.subarray(whole.lastIndexOf(10) + 1).toString('utf8');
      if (last !== '') {
        if (pid === 0) pid = Number(PID_RE.exec(last)?.[1] ?? 0);
        if (pid > 0) forwarders.set(pid, { open: true, last });
      }
    };
    sock.on('data', (data: Buffer) => {
      let chunk = data;
      // Only a line split across reads is copied; the rest of a read is queued as it came.
      if (partial) {
        const nl = chunk.indexOf(10);
        if (nl >= 0) {
          const head = Buffer.concat([partial, chunk.subarray(0, nl + 1)]);
          partial = null;
          take(head.subarray(0, head.length - 1));
          chunk = chunk.subarray(nl + 1);
        }
      }
      let bytes = partial ? Buffer.concat([partial, chunk]) : chunk;
      let end = bytes.lastIndexOf(10);
      // A line with no newline in 64 KiB is not a log line; keep it as one raw line.
      if (end < 0 && bytes.length > 65_536) {
        bytes = Buffer.concat([bytes, NEWLINE]);
        end = bytes.length - 1;
      }
      if (end < 0) {
        partial = Buffer.from(bytes);
        return;
      }
      partial = end + 1 < bytes.length ? Buffer.from(bytes.subarray(end + 1)) : null;
      take(bytes.subarray(0, end));
      if (queuedLines >= maxQueue) {
        void flush();
        sock.pause();
        paused.add(sock);
      } else if (!eager && !pacing.has(sock) && readPaceMs > 0 && data.length < FULL_READ) {
        // A read that emptied the socket: wait a few milliseconds before the next, so what
        // arrives meanwhile is taken in large reads instead of a wakeup per few lines (ADR 0017).
        // A full read means more is waiting: go on reading at once.
        sock.pause();
        pacing.set(
          sock,
          setTimeout(() => {
            pacing.delete(sock);
            if (!paused.has(sock)) sock.resume();
          }, readPaceMs),
        );
      }
    });
    sock.on('error', () => undefined);
    sock.on('close', () => {
      clearTimeout(pacing.get(sock));
      pacing.delete(sock);
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
      await o.indexer?.close();
      await o.writer.close();
      await server?.close();
      server = null;
    },
    /** Reads without pacing while on (a reload is under way: see ForwardedLines). */
    readEagerly(on: boolean): void {
      eager = on;
      if (!on) return;
      for (const [sock, timer] of pacing) {
        clearTimeout(timer);
        if (!paused.has(sock)) sock.resume();
      }
      pacing.clear();
    },
    /**
     * A block summary from the indexer: the writer stores it, and its count of lines that did
     * not parse joins the metrics (known once a block is summarized).
     */
    summarized(r: BlockSummaryRecord): void {
      metrics.parseErrors += r.errors;
      o.writer.saveSummary(r);
    },
    metrics: (): IngestMetrics => ({ ...metrics, queued: queuedLines + inWriter }),
    lastLineOf: (p: number) => forwarders.get(p)?.last ?? null,
    forwarding: (p: number) => forwarders.get(p)?.open === true,
    /** Lines read another way (the reload tap): queued like forwarded ones. */
    push(lines: readonly string[]): void {
      const kept = lines.filter((l) => l !== '');
      if (kept.length === 0) return;
      queue.push({ text: kept.join('\n'), receivedAt: Date.now(), lines: kept.length });
      queuedLines += kept.length;
      metrics.received += kept.length;
    },
  };
}
export type LogIngest = ReturnType<typeof createLogIngest>;
