#!/usr/bin/env node
/**
 * `npm start`: a working unit on this machine. Starts three demo backends on loopback, the agent
 * (which starts HAProxy), adds a demo service from the http-load-balancing template on first run,
 * applies it, and prints where everything is. Ctrl-C stops everything it started.
 */
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StatusResponse } from '@tandem/core';
import { ApiError, createApiClient } from '../cli/apiClient.js';
import { CONSOLE_USER, consoleIdentity } from '../adapters/systemUsers.js';

const here = dirname(fileURLToPath(import.meta.url));
const stateDir = resolve(process.env.TANDEM_STATE_DIR ?? '.tandem/unit');
const socket = join(stateDir, 'agent.sock');
// Fixed ports: the demo service is stored in the unit's history and must find its servers again.
const BACKEND_PORTS = [9001, 9002, 9003];
const DEMO_PORT = Number(process.env.TANDEM_DEMO_PORT ?? 8080);
const ADMIN_PORT = Number(process.env.TANDEM_ADMIN_PORT ?? 8404);
const CONSOLE_PORT = Number(process.env.TANDEM_CONSOLE_PORT ?? 8443);
const CONSOLE_SERVER = join(here, '../../../web-ui/dist-server/server.js');

function demoBackend(name: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/health') {
      res.end('ok\n');
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(`${JSON.stringify({ server: name, path: req.url, host: req.headers.host ?? null })}\n`);
  });
  return new Promise((ok, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      fail(
        new Error(
          `demo backend ${name} cannot listen on 127.0.0.1:${port} (${e.code ?? e.message})`,
        ),
      ),
    );
    server.listen(port, '127.0.0.1', () => ok(server));
  });
}

async function main(): Promise<void> {
  const backends = await Promise.all(BACKEND_PORTS.map((p, i) => demoBackend(`demo-${i + 1}`, p)));
  // The console runs unprivileged: as its own user when this runs as root, else as this user.
  const who = consoleIdentity(dirname(dirname(CONSOLE_SERVER)));
  if (who.identity === null && process.getuid?.() === 0)
    console.warn(`warning: the console runs as root: ${who.reason}`);
  // Made here, before the agent (umask 077) would make it closed to the console's user.
  await mkdir(stateDir, { recursive: true });
  const agent = spawn(process.execPath, [join(here, '..', 'main.js')], {
    env: {
      ...process.env,
      TANDEM_STATE_DIR: stateDir,
      TANDEM_SOCKET: socket,
      TANDEM_UNIT_NAME: process.env.TANDEM_UNIT_NAME ?? 'dev-unit',
      TANDEM_ADMIN_PORT: String(ADMIN_PORT),
      ...(who.identity ? { TANDEM_CONSOLE_GROUP: String(who.identity.gid) } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // The agent's log goes on to the terminal; the setup token is also kept for the summary.
  let setupToken: string | null = null;
  agent.stdout?.on('data', (d: Buffer) => {
    process.stdout.write(d);
    setupToken = /setup token (\S+)/.exec(d.toString())?.[1] ?? setupToken;
  });
  const consoleServer = spawn(process.execPath, [CONSOLE_SERVER], {
    env: { ...process.env, TANDEM_STATE_DIR: stateDir, TANDEM_CONSOLE_PORT: String(CONSOLE_PORT) },
    stdio: ['ignore', 'ignore', 'inherit'],
    ...(who.identity ?? {}),
  });
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    agent.kill('SIGTERM');
    consoleServer.kill('SIGTERM');
    for (const b of backends) b.close();
    agent.once('exit', () => process.exit(code));
    setTimeout(() => process.exit(code), 8000).unref();
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  agent.once('exit', (code) => {
    if (!stopping) {
      console.error(`the agent exited (${code ?? 'signal'}); stopping`);
      stop(1);
    }
  });

  const api = createApiClient(socket, 'dev-unit');
  let status: StatusResponse | null = null;
  for (let i = 0; i < 200 && !status; i++) {
    status = await api.get<StatusResponse>('/v1/status').catch(() => null);
    if (!status) await new Promise((r) => setTimeout(r, 100));
  }
  if (!status) throw new Error('the agent did not answer on its socket');
  const services = await api.get<unknown[]>('/v1/services');
  if (services.length === 0) {
    await api.send('POST', '/v1/services', {
      base: status.desired,
      template: 'http-load-balancing',
      params: {
        name: 'demo',
        port: DEMO_PORT,
        servers: BACKEND_PORTS.map((port) => ({ address: '127.0.0.1', port })),
        healthPath: '/health',
      },
      message: 'demo service of npm start',
    });
  }
  const applied = await api.send<{ generation: number; outcome: string }>('POST', '/v1/apply', {});
  const ctl = 'npx tandemctl';
  console.log(`
Tandem unit "${status.unit}" is running (generation ${applied.generation}).

  demo service     http://127.0.0.1:${DEMO_PORT}/        (3 demo backends on 127.0.0.1:${BACKEND_PORTS.join(', ')})
  console          https://127.0.0.1:${CONSOLE_PORT}/      (self-signed certificate; runs as ${who.identity ? CONSOLE_USER : 'this user'})${setupToken ? `\n                   first start: setup token ${setupToken}` : ''}
  HAProxy stats    http://127.0.0.1:${ADMIN_PORT}/stats   Prometheus: http://127.0.0.1:${ADMIN_PORT}/metrics
  agent API        ${socket}
  state            ${stateDir}

Try:  TANDEM_SOCKET=${socket} ${ctl} status
      ${ctl} --socket ${socket} server set demo/web2 --state drain
      ${ctl} --socket ${socket} history

Ctrl-C stops the unit (agent, HAProxy, console and demo backends).`);
}

main().catch((e: unknown) => {
  console.error(
    e instanceof ApiError
      ? `error (${e.body.error.code}): ${e.message}\n${e.body.error.fields.map((f) => `  ${f.path}: ${f.message}`).join('\n')}`
      : `npm start: ${e instanceof Error ? e.message : String(e)}`,
  );
  process.exit(1);
});
