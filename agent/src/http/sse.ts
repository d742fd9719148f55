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
  const close = () => {
    clearInterval(heartbeat);
    for (const fn of closers.splice(0)) fn();
  };
  req.on('close', close);
  res.on('error', close);
  return {
    send(event, data, id) {
      if (res.writableEnded) return;
      res.write(
        `${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`,
      );
    },
    onClose: (fn) => closers.push(fn),
  };
}
