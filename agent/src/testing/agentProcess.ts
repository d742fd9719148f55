import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiClient, type ApiClient } from '../cli/apiClient.js';
import type { StatusResponse } from '@tandem/core';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '../main.js');

export interface AgentHandle {
  api: ApiClient;
  stateDir: string;
  logPort: number;
  /** SIGTERM: the agent stops HAProxy and exits. */
  stop(): Promise<void>;
  /** SIGKILL: no cleanup at all; HAProxy keeps running. */
  kill9(): Promise<void>;
  /** Starts the agent again (with more environment for this start only). */
  start(extraEnv?: Record<string, string>): Promise<void>;
  /** Resolves once the agent process has exited by itself (a crash point). */
  exited(): Promise<void>;
  log(): string;
  configOnDisk(): Promise<string>;
  /** The agent's PID while it runs (benchmarks read its CPU time). */
  pid(): number | null;
}

/**
 * Test and benchmark harness (not used by the agent itself): runs the real agent daemon (which runs HAProxy) with its state in `stateDir`. */
export interface AgentOptions {
  unitName?: string;
  /** Run HAProxy through this argv (e.g. chroot into the Debian 13 root). */
  haproxyCommand?: readonly string[];
  /** HAProxy's filesystem root when it runs chrooted; stateDir must be inside it. */
  haproxyRoot?: string;
  /** Loopback TCP port for HAProxy's log ring; a free one by default, kept across restarts. */
  logPort?: number;
  /** More agent settings (TANDEM_STATS_INTERVAL_MS, ...). */
  env?: Record<string, string>;
}

/** A TCP port on loopback that was free a moment ago. */
/** Ports handed out by this process: never twice, even once closed again. */
const handedOut = new Set<number>();

/**
 * A loopback port that was free a moment ago, for something that binds it later (HAProxy, a
 * test server). Chosen below the kernel's ephemeral range (32768 and up here), so no `listen(0)`
 * and no outgoing connection of another test can take it in between: a port from `listen(0)`
 * itself came back to the ephemeral pool the moment it was closed, and a parallel suite's echo
 * server could get it before HAProxy bound it (seen as "HAProxy could not load generation N").
 */
export async function freeTcpPort(): Promise<number> {
  const { createServer } = await import('node:net');
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (handedOut.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('no free loopback port between 20000 and 32000');
}

export async function startAgent(
  stateDir: string,
  adminPort: number,
  options: AgentOptions = {},
): Promise<AgentHandle> {
  const logPort = options.logPort ?? (await freeTcpPort());
  let child: ChildProcess | null = null;
  let output = '';
  const socket = join(stateDir, 'agent.sock');
  const api = createApiClient(socket, 'tester');
  const start = async (extraEnv: Record<string, string> = {}) => {
    child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        TANDEM_STATE_DIR: stateDir,
        TANDEM_UNIT_NAME: options.unitName ?? 'test-unit',
        TANDEM_ADMIN_PORT: String(adminPort),
        ...(options.haproxyCommand
          ? { TANDEM_HAPROXY_COMMAND: JSON.stringify(options.haproxyCommand) }
          : {}),
        ...(options.haproxyRoot ? { TANDEM_HAPROXY_ROOT: options.haproxyRoot } : {}),
        TANDEM_LOG_PORT: String(logPort),
        ...options.env,
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 20_000;
    for (;;) {
      const ok = await api.get<StatusResponse>('/v1/status').then(
        () => true,
        () => false,
      );
      if (ok) return;
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGTERM');
        throw new Error(`agent did not start:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const exited = (c: ChildProcess) =>
    new Promise<void>((r) =>
      c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r()),
    );
  await start();
  return {
    api,
    stateDir,
    logPort,
    start,
    async stop() {
      if (!child) return;
      const c = child;
      c.kill('SIGTERM');
      // A stop that hangs must not keep a suite from cleaning up: escalate after 10 s.
      const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
      await exited(c);
      clearTimeout(timer);
    },
    async kill9() {
      if (!child) return;
      const c = child;
      c.kill('SIGKILL');
      await exited(c);
    },
    async exited() {
      if (child) await exited(child);
    },
    log: () => output,
    pid: () => (child as ChildProcess | null)?.pid ?? null,
    configOnDisk: () => readFile(join(stateDir, 'haproxy.cfg'), 'utf8'),
  };
}

/** A tiny backend that answers with its name (and 200 on /health). */
export async function namedBackend(name: string): Promise<{ port: number; server: Server }> {
  const server = createServer((req, res) => res.end(req.url === '/health' ? 'ok' : name));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return { port: typeof addr === 'object' && addr ? addr.port : 0, server };
}

/**
 * One request on a fresh connection. (A pooled keep-alive connection may still be served by the
 * previous worker right after a reload, which is HAProxy working as intended.)
 */
export function httpGet(port: number, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, agent: false, headers: { connection: 'close' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port, or rejects after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const { connect } = await import('node:net');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
