import { execFile } from 'node:child_process';
import { constants, existsSync, openSync } from 'node:fs';
import { Socket } from 'node:net';

/**
 * Reads keepalived's notify FIFO line by line. The agent creates the FIFO before keepalived starts
 * and opens it read-write and non-blocking: the open never waits for a writer, and a keepalived
 * restart (the writer going away) is not an end of file, so one reader lasts the agent's life.
 */
export async function openNotifyFifo(path: string, onLine: (line: string) => void) {
  if (!existsSync(path))
    await new Promise<void>((resolve, reject) =>
      execFile('mkfifo', ['-m', '0600', '--', path], (e) => (e ? reject(e) : resolve())),
    );
  const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
  const sock = new Socket({ fd, readable: true, writable: false });
  let partial = '';
  sock.setEncoding('utf8');
  sock.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const l of parts) if (l !== '') onLine(l);
  });
  sock.on('error', () => undefined);
  return { close: () => sock.destroy() };
}
