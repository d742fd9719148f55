import { createServer, type Server } from 'node:net';

/** One connection of HAProxy's ring forwarder, as the ingest uses it. */
export interface LogConnection {
  on(event: 'data', cb: (chunk: Buffer) => void): unknown;
  on(event: 'error', cb: (e: Error) => void): unknown;
  on(event: 'close', cb: () => void): unknown;
  pause(): unknown;
  resume(): unknown;
  destroy(): unknown;
}

/** Where the ring forwarder connects: accepts connections until closed. */
export interface LogListener {
  listen(onConnection: (c: LogConnection) => void): Promise<{ close(): Promise<void> }>;
}

/** A TCP listener on loopback (ADR 0008: the ring is forwarded over TCP). */
export function createTcpLogListener(port: number): LogListener {
  return {
    async listen(onConnection) {
      const s: Server = createServer(onConnection);
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, '127.0.0.1', () => {
          s.off('error', reject);
          resolve();
        });
      });
      return { close: () => new Promise<void>((resolve) => s.close(() => resolve())) };
    },
  };
}

/** Hands the test each connection it accepts (streams the test writes to). */
export function createFakeLogListener(): {
  listener: LogListener;
  connect(c: LogConnection): void;
  closed(): boolean;
} {
  let accept: ((c: LogConnection) => void) | null = null;
  let isClosed = false;
  return {
    listener: {
      listen: (cb) => {
        accept = cb;
        return Promise.resolve({
          close: () => {
            isClosed = true;
            return Promise.resolve();
          },
        });
      },
    },
    connect: (c) => accept?.(c),
    closed: () => isClosed,
  };
}
