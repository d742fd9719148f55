import { connect } from 'node:net';
import { TandemError } from '@tandem/core';

/** A live reader of one HAProxy worker's log ring, from the moment it attached. */
export interface RingTap {
  /** The worker that answered (the one that was current when the tap attached). */
  pid: number;
  onLines(cb: (lines: string[]) => void): void;
  onEnd(cb: () => void): void;
  close(): void;
}

export type OpenRingTap = () => Promise<RingTap>;

/**
 * Attaches to the current worker's log ring through the stats socket: `show info` names the
 * worker, then `show events <ring> -w -n` streams every line logged from now on, until the
 * worker exits or the tap is closed. (Through the master CLI the stream ends at HAProxy 2.6's
 * re-exec on the next reload, and old workers cannot be reached on the stats socket: so the tap
 * attaches to the current worker, before the reload that makes it old.)
 */
export function createRingTapOpener(statsSocket: string, ring: string): OpenRingTap {
  return () =>
    new Promise((resolve, reject) => {
      const sock = connect(statsSocket);
      sock.setEncoding('utf8');
      let head = '';
      let partial = '';
      let pid = 0;
      let linesCb: (lines: string[]) => void = () => undefined;
      let endCb: () => void = () => undefined;
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new TandemError('haproxy_unavailable', 'the worker did not answer the log tap'));
      }, 5_000);
      const emit = (text: string) => {
        const parts = (partial + text).split('\n');
        partial = parts.pop() ?? '';
        const lines = parts.filter((l) => l !== '');
        if (lines.length > 0) linesCb(lines);
      };
      sock.on('data', (chunk: string) => {
        if (pid > 0) return emit(chunk);
        head += chunk;
        // `show info` ends with an empty line; what follows is the ring.
        const end = head.indexOf('\n\n');
        if (end < 0) return;
        const m = /^Pid: (\d+)$/m.exec(head.slice(0, end));
        clearTimeout(timer);
        if (!m) {
          sock.destroy();
          reject(new TandemError('haproxy_unavailable', 'the log tap got no worker PID'));
          return;
        }
        pid = Number(m[1]);
        const rest = head.slice(end + 2);
        resolve({
          pid,
          onLines: (cb) => {
            linesCb = cb;
            if (rest !== '') emit(rest);
          },
          onEnd: (cb) => (endCb = cb),
          close: () => sock.destroy(),
        });
      });
      sock.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (pid === 0)
          reject(new TandemError('haproxy_unavailable', `log tap: ${e.code ?? e.message}`));
      });
      sock.on('close', () => {
        clearTimeout(timer);
        if (partial !== '') emit('\n');
        endCb();
      });
      sock.write(`show info;show events ${ring} -w -n\n`);
    });
}
