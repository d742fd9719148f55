import { spawn } from 'node-pty';

/** What a terminal needs from a PTY library (node-pty in the agent, a fake in tests). */
export interface PtyFactory {
  spawn(
    cols: number,
    rows: number,
  ): {
    onData(cb: (data: string) => void): void;
    onExit(cb: (e: { exitCode: number }) => void): void;
    write(data: string): void;
    resize(cols: number, rows: number): void;
    kill(): void;
  };
}

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
