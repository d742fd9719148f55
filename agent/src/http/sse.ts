import type { IncomingMessage, ServerResponse } from 'node:http';

/** One server-sent-events connection: named events with ids, for live tails of logs, events, stats. */
export interface SseSink {
  send(event: string, data: unknown, id?: number): void;
  /** Runs when the client goes away (or the agent stops). */
  onClose(fn: () => void): void;
}

/** The id the client last saw (`Last-Event-ID` on reconnect), to resume without a gap. */
export function lastEventId(req: IncomingMessage): number | undefined {
  const h = req.headers['last-event-id'];
  const n = typeof h === 'string' ? Number(h) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/**
 * What a live tail may hold for a client that does not read (a stalled browser tab, a proxy that
 * stopped forwarding). Past it the stream is closed: the client reconnects with Last-Event-ID and
 * resumes from the store, so nothing is lost, and the agent never buffers without bound.
 */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

const open = new Set<ServerResponse>();

/** Live tails open now (the metrics endpoint reports it; a leak shows as a climb). */
export const openStreams = (): number => open.size;

export function openSse(req: IncomingMessage, res: ServerResponse): SseSink {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  res.write(': tandem\n\n');
  const closers: (() => void)[] = [];
  // A comment every 15 s keeps proxies from closing an idle tail and shows a dead client.
  const heartbeat = setInterval(() => res.write(': ping\n\n'), 15_000);
  open.add(res);
  const close = () => {
    clearInterval(heartbeat);
    open.delete(res);
    for (const fn of closers.splice(0)) fn();
  };
  req.on('close', close);
  res.on('close', close);
  res.on('error', close);
  return {
    send(event, data, id) {
      if (res.writableEnded || res.destroyed) return;
      res.write(
        `${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`,
      );
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        res.destroy();
        close();
      }
    },
    onClose: (fn) => closers.push(fn),
  };
}
