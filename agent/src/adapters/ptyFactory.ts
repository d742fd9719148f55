import { spawn } from 'node-pty';
import type { PtyFactory } from '../http/terminalSocket.js';

/** Login shells on a PTY (node-pty, compiled from source at install). */
export function createPtyFactory(shell: string, cwd: string): PtyFactory {
  return {
    spawn: (cols, rows) =>
      spawn(shell, ['-l'], {
        name: 'xterm-256color',
        cols,
        rows,
        cwd,
        env: { ...process.env, TERM: 'xterm-256color' } as Record<string, string>,
      }),
  };
}
