import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Test and benchmark harness (not used by the console itself): runs the real console server for
 * a unit's state directory on a free loopback port, and resolves once it listens.
 */
/** Every page of the console, sign-in pages first (the accessibility test and the bench walk them). */
export const CONSOLE_PAGES = [
  '/setup',
  '/login',
  '/',
  '/services',
  '/history',
  '/logs',
  '/cluster',
  '/terminal',
  '/audit',
  '/settings',
  '/reference',
] as const;

export interface ConsoleHandle {
  base: string;
  pid: number;
  log(): string;
  stop(): void;
}

// The built server, whether this runs from dist-server/ or (in tests) from server/.
const SERVER = join(dirname(fileURLToPath(import.meta.url)), '../dist-server/server.js');

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const a = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return typeof a === 'object' && a ? a.port : 0;
}

/** `as`: the unprivileged user to run it as (the agent must grant that user's group access). */
export async function startConsole(
  stateDir: string,
  options: { timeoutMs?: number; as?: { uid: number; gid: number } } = {},
): Promise<ConsoleHandle> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER], {
    ...(options.as ?? {}),
    env: {
      ...process.env,
      TANDEM_STATE_DIR: stateDir,
      TANDEM_CONSOLE_PORT: String(port),
      TANDEM_CONSOLE_BIND: '127.0.0.1',
      NEXT_TELEMETRY_DISABLED: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`console did not start:\n${output}`)),
      timeoutMs,
    );
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('console: https://')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`console exited (${code ?? '?'}):\n${output}`)));
  });
  return {
    base: `https://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    log: () => output,
    stop: () => void child.kill('SIGTERM'),
  };
}
