import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createScryptHasher } from '../adapters/passwordHasher.js';
import { createAuthService } from '../services/auth.js';
import { openAuthStore } from '../store/authStore.js';
import { attachTerminal, type PtyFactory } from './terminalSocket.js';

const PW = 'correct horse battery';

/** A PTY that echoes what it is sent, in upper case, and records resizes. */
function fakePty(log: string[]): PtyFactory {
  return {
    spawn: () => {
      let out: (d: string) => void = () => undefined;
      return {
        onData: (cb) => (out = cb),
        onExit: () => undefined,
        write: (d) => out(d.toUpperCase()),
        resize: (c, r) => log.push(`resize ${c}x${r}`),
        kill: () => log.push('killed'),
      };
    },
  };
}

describe('terminal WebSocket', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-term-'));
  const sock = join(dir, 'console.sock');
  const log: string[] = [];
  const auth = createAuthService({
    store: openAuthStore(':memory:'),
    hasher: createScryptHasher(2 ** 10),
    clock: { now: () => new Date() },
  });
  let server: Server;
  let admin = '';
  let reader = '';
  beforeAll(async () => {
    admin = (await auth.setup({ token: auth.newSetupToken(), name: 'ann', password: PW })).token;
    await auth.addUser('ann', { name: 'rob', role: 'read-only', password: PW });
    reader = (await auth.login({ name: 'rob', password: PW }, 'x')).token;
    server = createServer();
    attachTerminal(server, { auth, pty: fakePty(log), log: () => undefined });
    await new Promise<void>((r) => server.listen(sock, r));
  });
  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const connect = (token: string | null, path = '/v1/terminal') =>
    new Promise<{ status: number; ws?: WebSocket }>((resolve) => {
      const ws = new WebSocket(`ws+unix://${sock}:${path}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      ws.on('open', () => resolve({ status: 101, ws }));
      ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
      ws.on('error', () => resolve({ status: 0 }));
    });

  it('refuses no session, a read-only user, and an admin who has not re-entered the password', async () => {
    expect((await connect(null)).status).toBe(401);
    expect((await connect('made-up')).status).toBe(401);
    expect((await connect(reader)).status).toBe(403);
    await auth.sudo(reader, { password: PW }).catch(() => undefined);
    expect((await connect(reader)).status).toBe(403);
    expect((await connect(admin)).status).toBe(403);
    expect((await connect(admin, '/v1/other')).status).toBe(404);
  });

  it('opens a PTY for an admin in sudo mode, relays input, output and resizes, audits both ends', async () => {
    await auth.sudo(admin, { password: PW });
    const { status, ws } = await connect(admin);
    expect(status).toBe(101);
    const got = new Promise<string>((resolve) =>
      ws?.on('message', (m) => resolve((JSON.parse(String(m)) as { data: string }).data)),
    );
    ws?.send(JSON.stringify({ type: 'resize', cols: 120, rows: 40 }));
    ws?.send(JSON.stringify({ type: 'input', data: 'echo hi\r' }));
    expect(await got).toBe('ECHO HI\r');
    ws?.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(log).toEqual(['resize 120x40', 'killed']);
    expect(auth.auditLog().map((a) => a.action)).toEqual(
      expect.arrayContaining(['terminal-opened', 'terminal-closed']),
    );
  });

  it('survives a paste larger than the frame limit: that connection closes, the next one opens', async () => {
    const { ws } = await connect(admin);
    const closed = new Promise<number>((resolve) => ws?.on('close', (code) => resolve(code)));
    ws?.on('error', () => undefined); // the client sees the close; the point is the server side
    ws?.send(JSON.stringify({ type: 'input', data: 'x'.repeat(2 * 1024 * 1024) }));
    expect(await closed).toBe(1009);
    const again = await connect(admin);
    expect(again.status).toBe(101);
    again.ws?.close();
  });

  it('closes the shell when the session ends (sign-out), before running more input', async () => {
    log.length = 0;
    const { ws } = await connect(admin);
    const messages: { type: string; data?: string; reason?: string }[] = [];
    ws?.on('message', (m) => messages.push(JSON.parse(String(m)) as (typeof messages)[number]));
    const closed = new Promise<number>((resolve) => ws?.on('close', (code) => resolve(code)));
    auth.logout(admin);
    ws?.send(JSON.stringify({ type: 'input', data: 'rm -rf /\r' }));
    expect(await closed).toBe(4401);
    // The input never reached the shell; the PTY is gone; the browser was told why.
    expect(messages.filter((m) => m.type === 'output')).toEqual([]);
    expect(messages.at(-1)).toMatchObject({ type: 'exit' });
    expect(messages.at(-1)?.reason).toMatch(/session|sign/i);
    expect(log).toContain('killed');
    expect(auth.auditLog().map((a) => a.action)).toContain('terminal-ended');
  });
});
