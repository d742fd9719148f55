import { request } from 'node:https';
import { connect as tcpConnect } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../server/connectionGuard.js';
import { startUnit } from './unit.js';

/** GET on a fresh connection from the console's own address; resolves with the status. */
const get = (base: string, path: string) =>
  new Promise<number>((resolve, reject) => {
    const req = request(`${base}${path}`, { rejectUnauthorized: false, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });

/**
 * A slow-loris on the console port (issue 20), from another address (127.0.0.2) than the owner's
 * browser (127.0.0.1): 200 connections that each send a request line and then one header line a
 * second, never ending. The console closes those past 64 from that address at once, answers the
 * held ones 408 when their header time is up, and serves the owner all along.
 */
describe('the console port under a slow-loris', () => {
  let unit: Awaited<ReturnType<typeof startUnit>>;
  beforeAll(async () => {
    unit = await startUnit('tandem-slowloris-');
  });
  afterAll(async () => {
    unit?.server.stop();
    await unit?.agent.stop();
    if (unit) await rm(unit.dir, { recursive: true, force: true });
  });

  it('closes connections past the limit at once, times out slow headers, and keeps serving the owner', async () => {
    const port = Number(new URL(unit.server.base).port);
    const held: { socket: TLSSocket; secure: boolean; closed: boolean; answer: string }[] = [];
    const timers: NodeJS.Timeout[] = [];
    try {
      for (let i = 0; i < 200; i++) {
        const c = {
          // From another address than the owner's: a TCP socket bound to it, TLS on top.
          socket: connect({
            socket: tcpConnect({ host: '127.0.0.1', port, localAddress: '127.0.0.2' }),
            rejectUnauthorized: false,
          }),
          secure: false,
          closed: false,
          answer: '',
        };
        c.socket.on('secureConnect', () => {
          c.secure = true;
          c.socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
          timers.push(
            setInterval(() => c.socket.writable && c.socket.write('X-Slow: 1\r\n'), 1_000),
          );
        });
        c.socket.on('data', (d: Buffer) => (c.answer += d.toString()));
        c.socket.on('error', () => undefined);
        c.socket.on('close', () => (c.closed = true));
        held.push(c);
      }
      // Every attempt settled: through the handshake, or closed by the console.
      await expect
        .poll(() => held.every((c) => c.secure || c.closed), { timeout: 60_000 })
        .toBe(true);
      expect(held.filter((c) => c.secure).length).toBe(LIMITS.perAddress);

      // The owner, from another address, is served while those are held open.
      expect(held.filter((c) => c.secure && !c.closed).length).toBeGreaterThan(0);
      expect(await get(unit.server.base, '/login')).toBe(200);

      // Each held connection is answered 408 and closed once its header time is up.
      await expect
        .poll(() => held.filter((c) => !c.closed).length, {
          timeout: LIMITS.headersMs * 4,
          interval: 500,
        })
        .toBe(0);
      const answers = held.filter((c) => c.secure).map((c) => c.answer.split('\r\n')[0]);
      expect(new Set(answers)).toEqual(new Set(['HTTP/1.1 408 Request Timeout']));
      expect(await get(unit.server.base, '/login')).toBe(200);
    } finally {
      for (const t of timers) clearInterval(t);
      for (const c of held) c.socket.destroy();
    }
  }, 180_000);
});
