import { connect } from 'node:net';

/** Writes lines to the agent's log port as HAProxy's ring does: one per newline, over TCP. */
export function sendLines(port: number, lines: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.end(`${lines.join('\n')}\n`));
    s.on('close', () => resolve());
    s.on('error', reject);
  });
}

/** An HTTP request's line in HAProxy's default format, for `GET /<path>` from port `clientPort`. */
export const httpLogLine = (path: string, clientPort = 1) =>
  `<134>Dec  1 12:00:00 haproxy[7]: 198.18.0.9:${clientPort} [01/Dec/2026:12:00:00.000] web web.app/s0 0/0/0/1/1 200 120 - - ---- 1/1/0/0/0 0/0 "GET /${path} HTTP/1.1"`;
