import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const TANDEMCTL = fileURLToPath(new URL('../../agent/bin/tandemctl.js', import.meta.url));

/**
 * Runs tandemctl on an agent's operator socket with `input` on stdin (a pipe, as a script
 * would); answers its exit status and everything it printed (stdout and stderr).
 */
export function tandemctl(socket: string, args: readonly string[], input = '') {
  return new Promise<{ code: number; out: string }>((resolve) => {
    const c = spawn(process.execPath, [TANDEMCTL, '--socket', socket, ...args]);
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (out += d.toString()));
    c.on('exit', (code) => resolve({ code: code ?? 1, out }));
    c.stdin.end(input);
  });
}
