import { createServer, request, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createConsoleProxy } from './consoleProxy.js';

/**
 * The console's proxy must end the agent's side of a live tail when the browser goes away:
 * before, every filter change on the Logs page left one more stream open in the agent.
 */
const dir = mkdtempSync(join(tmpdir(), 'tandem-proxy-'));
const agentSock = join(dir, 'agent.sock');
const consoleSock = join(dir, 'console.sock');
let agent: Server;
let proxy: Server;
let open = 0;
let opened = 0;

beforeAll(async () => {
  agent = createServer((req, res) => {
    open++;
    opened++;
    req.on('close', () => open--);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(': tail\n\n');
  });
  proxy = createServer(createConsoleProxy(agentSock));
  await new Promise<void>((r) => agent.listen(agentSock, r));
  await new Promise<void>((r) => proxy.listen(consoleSock, r));
});
afterAll(() => {
  agent.closeAllConnections();
  agent.close();
  proxy.close();
  rmSync(dir, { recursive: true, force: true });
});

const until = async (ok: () => boolean) => {
  while (!ok()) await new Promise((r) => setTimeout(r, 10));
};

it('closes the agent-side stream each time the browser closes its tail', async () => {
  for (let i = 0; i < 50; i++) {
    const req = request({ socketPath: consoleSock, path: '/api/v1/logs/stream' });
    await new Promise<void>((resolve) => {
      req.on('response', () => resolve());
      req.end();
    });
    await until(() => opened === i + 1);
    req.destroy(); // a filter change: the page closes its EventSource and opens another
  }
  await until(() => open === 0);
  expect(opened).toBe(50);
});
