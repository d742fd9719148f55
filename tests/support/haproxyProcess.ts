import { spawn, type ChildProcess } from 'node:child_process';
import { waitForPort } from './ports.js';

export interface RunningHaproxy {
  stop(): Promise<void>;
  output(): string;
}

/**
 * Runs HAProxy in the foreground (`-db`) for a test, waits until `readyPort` accepts connections,
 * and stops it (SIGTERM, then SIGKILL) when the test is done.
 */
export async function startHaproxy(
  configPath: string,
  readyPort: number,
  command: readonly string[] = ['haproxy'],
): Promise<RunningHaproxy> {
  const [bin = 'haproxy', ...prefix] = command;
  const child: ChildProcess = spawn(bin, [...prefix, '-db', '-f', configPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await Promise.race([
      waitForPort(readyPort),
      exited.then(() => {
        throw new Error(`haproxy exited early:\n${log}`);
      }),
    ]);
  } catch (e) {
    await stop();
    throw e;
  }
  return { stop, output: () => log };
}
