import type { AgentHandle } from '@tandem/agent/testing/agentProcess';
import type { StatusResponse } from '@tandem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyRuntimes, startAgentOn } from '../support/haproxyRuntimes.js';
import { freePort } from '../support/ports.js';
import { addService, unrelatedApply } from '../support/serviceEdits.js';
import {
  openSocket,
  startEchoServer,
  type OpenSocket,
} from '@tandem/agent/testing/websocketServers';

/**
 * The websocket-site template in front of a real WebSocket server (issue 12): the 101 check
 * passes, messages echo, and a socket opened before applies is still open and echoing after
 * them (it stays on the previous worker for its tunnel timeout instead of a fixed minute).
 */
const rt = haproxyRuntimes()[0]!;

describe(`websocket-site on the real ${rt.label}`, () => {
  let cleanup: () => Promise<void> = async () => undefined;
  let agent: AgentHandle;
  let echo: Awaited<ReturnType<typeof startEchoServer>>;
  let web: Awaited<ReturnType<typeof startEchoServer>>;
  let port: number;
  let extra = 0;
  const sockets: OpenSocket[] = [];

  beforeAll(async () => {
    echo = await startEchoServer('ws1');
    web = await startEchoServer('web1');
    port = await freePort();
    ({ agent, cleanup } = await startAgentOn(rt, 'websocket', await freePort()));
    await addService(agent, 'websocket-site', {
      name: 'chat',
      address: '127.0.0.1',
      port,
      webServers: [{ address: '127.0.0.1', port: web.port }],
      socketServers: [{ address: '127.0.0.1', port: echo.port }],
      tunnelTimeoutMs: '2h',
    });
    await agent.api.send('POST', '/v1/apply', {});
  }, 60_000);

  afterAll(async () => {
    for (const s of sockets) s.ws.terminate();
    await agent?.stop();
    await echo?.close();
    await web?.close();
    await cleanup();
  });

  it('upgrades through the template, echoes, and keeps sockets open across a burst of applies', async () => {
    for (let i = 0; i < 3; i++) sockets.push(await openSocket(`ws://127.0.0.1:${port}/ws`));
    expect(await sockets[0]!.echo('hello')).toBe('ws1: hello');
    // A dry run says what an apply would leave on the previous worker: the open sockets, and
    // for how long (the stats sampler's look is at most a second old: wait for it).
    const preview = async () =>
      (
        await agent.api.send<{
          preview: { reload: { openConnections: number | null; graceMs: number } };
        }>('POST', '/v1/services?dryRun=true', {
          base: (await agent.api.get<StatusResponse>('/v1/status')).desired,
          template: 'tcp-port-map',
          params: {
            name: 'probe',
            port: await freePort(),
            servers: [{ address: '127.0.0.1', port: 9 }],
          },
        })
      ).preview.reload;
    const deadline = Date.now() + 10_000;
    let seen = await preview();
    while ((seen.openConnections ?? 0) < 3 && Date.now() < deadline) seen = await preview();
    expect(seen).toEqual({ openConnections: 3, graceMs: 3_600_000 });
    // The grace follows the service's tunnel timeout, capped at 1 h by default.
    expect(await agent.configOnDisk()).toContain('hard-stop-after 1h');
    // A burst of applies, more than maxOldWorkers: the workers in between have nothing to keep
    // and must not push out the one holding the sockets.
    for (let i = 0; i < 8; i++) {
      const r = await unrelatedApply(agent, ++extra);
      // The sockets stay on the worker they were opened on; the apply says so.
      if (i === 0) expect(r.previousWorker?.connectionsOnPreviousWorker).toBe(3);
    }
    for (const s of sockets) {
      expect(s.closed).toBeNull();
      expect(await s.echo('still there')).toBe('ws1: still there');
    }
    const status = await agent.api.get<StatusResponse>('/v1/status');
    // One old worker holds the three sockets; the ones in between had nothing and exited.
    expect(status.haproxy.oldWorkers.filter((w) => w.connections > 0)).toEqual([
      expect.objectContaining({ connections: 3 }),
    ]);
  }, 90_000);

  it('stops the oldest old workers beyond the limit, and says so', async () => {
    // Sockets on three more workers: four old workers with connections, one more than allowed.
    for (let i = 0; i < 3; i++) {
      sockets.push(await openSocket(`ws://127.0.0.1:${port}/ws`));
      await unrelatedApply(agent, ++extra);
    }
    const status = await agent.api.get<StatusResponse>('/v1/status');
    expect(status.haproxy.oldWorkers.filter((w) => w.connections > 0).length).toBe(3);
    // The first three sockets were on the oldest worker: closed by the limit, not by a timer.
    for (const s of sockets.slice(0, 3)) {
      const deadline = Date.now() + 10_000;
      while (s.closed === null && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(s.closed).not.toBeNull();
    }
    for (const s of sockets.slice(3)) expect(s.closed).toBeNull();
    const events = await agent.api.get<{ items: { message: string }[] }>('/v1/events?kind=apply');
    expect(events.items.map((e) => e.message)).toContainEqual(
      expect.stringMatching(
        /^stopped old worker \d+ with 3 connection\(s\): more than 3 old workers with connections$/,
      ),
    );
  }, 90_000);
});
