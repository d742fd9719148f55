import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { TandemError } from '@tandem/core';

/**
 * Runs HAProxy in master-worker mode as a child of the agent (dev and lab units). On the
 * appliance systemd runs HAProxy and the agent only talks to its master socket.
 */
export interface HaproxyLauncher {
  start(): Promise<void>;
  stop(): Promise<void>;
  running(): boolean;
  /** Waits for the master's verdict on a reload that started at `since` (HAProxy 2.6). */
  /** Null when this launcher did not start the running master (adopted): no log to read. */
  awaitLoadResult(since: number): Promise<{ ok: boolean; log: string } | null>;
}

export interface LauncherOptions {
  command: readonly string[];
  /** As HAProxy sees them (inside its chroot, if any). */
  configPath: string;
  masterSocket: string;
  /** The master socket as this process reaches it (differs from masterSocket under a chroot). */
  masterSocketHost?: string;
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
  timeoutMs?: number;
}

function accepts(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

interface LogLine {
  at: number;
  text: string;
}

export function createHaproxyLauncher(o: LauncherOptions): HaproxyLauncher {
  let child: ChildProcess | null = null;
  const log: LogLine[] = [];
  const waiters = new Set<() => void>();
  const timeoutMs = o.timeoutMs ?? 30_000;

  const onLine = (text: string) => {
    log.push({ at: Date.now(), text });
    if (log.length > 500) log.splice(0, log.length - 500);
    for (const w of waiters) w();
  };

  const waitFor = (match: (lines: LogLine[]) => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (match(log)) {
          cleanup();
          resolve();
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new TandemError(
            'haproxy_unavailable',
            `HAProxy did not report ${what} within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  return {
    async start() {
      if (child) return;
      const [bin = 'haproxy', ...prefix] = o.command;
      const since = Date.now();
      child = spawn(
        bin,
        [...prefix, '-W', '-db', '-S', `${o.masterSocket},mode,600`, '-f', o.configPath],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let buf = '';
      const onData = (d: Buffer) => {
        buf += d.toString();
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          onLine(buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      const proc = child;
      // A binary that cannot be run emits 'error' (and no 'exit'): unheard, it would end the agent.
      proc.once('error', (e: NodeJS.ErrnoException) => {
        if (child === proc) child = null;
        onLine(`[tandem] haproxy master exited (cannot run ${bin}: ${e.code ?? e.message})`);
      });
      proc.once('exit', (code, signal) => {
        if (child === proc) child = null;
        onLine(`[tandem] haproxy master exited (${code ?? signal})`);
        o.onExit?.(code, signal);
      });
      await waitFor(
        (lines) => lines.some((l) => l.at >= since && /Loading success|exited \(/.test(l.text)),
        'its start',
      );
      if (!child) {
        throw new TandemError(
          'haproxy_unavailable',
          `HAProxy did not start: ${log
            .slice(-5)
            .map((l) => l.text)
            .join(' | ')}`,
        );
      }
      // The socket file appears before the master accepts on it: wait for a real connection.
      const deadline = Date.now() + timeoutMs;
      while (!(await accepts(o.masterSocketHost ?? o.masterSocket))) {
        if (Date.now() > deadline || !child)
          throw new TandemError('haproxy_unavailable', 'the HAProxy master socket does not answer');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      const proc = child;
      if (!proc) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
    running: () => child !== null,
    async awaitLoadResult(since) {
      if (!child) return null;
      const done = (l: LogLine) => l.at >= since && /Loading (success|failure)/.test(l.text);
      await waitFor((lines) => lines.some(done), 'the result of a reload');
      const lines = log.filter((l) => l.at >= since);
      const ok = lines.some((l) => /Loading success/.test(l.text));
      return { ok, log: lines.map((l) => l.text).join('\n') };
    },
  };
}
