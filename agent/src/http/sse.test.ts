import { createServer, request, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BUFFERED_BYTES, openSse, openStreams, type SseSink } from './sse.js';

describe('live tails (server-sent events)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-sse-'));
  const sock = join(dir, 'sse.sock');
  let server: Server;
  const sinks: SseSink[] = [];
  const closed: number[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const sink = openSse(req, res);
      const n = sinks.push(sink);
      sink.onClose(() => closed.push(n));
    });
    await new Promise<void>((r) => server.listen(sock, r));
  });
  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const connect = () =>
    new Promise<{ destroy: () => void; pause: () => void }>((resolve) => {
      const req = request({ socketPath: sock, path: '/' }, (res) =>
        resolve({ destroy: () => req.destroy(), pause: () => res.pause() }),
      );
      req.end();
    });
  const until = async (ok: () => boolean) => {
    while (!ok()) await new Promise((r) => setTimeout(r, 10));
  };

  it('forgets a stream when its client goes away', async () => {
    const before = openStreams();
    const c = await connect();
    await until(() => openStreams() === before + 1);
    c.destroy();
    await until(() => openStreams() === before);
    expect(closed).toHaveLength(1);
  });

  it('closes a stream whose client stopped reading instead of buffering without bound', async () => {
    const before = openStreams();
    const c = await connect();
    c.pause();
    await until(() => openStreams() === before + 1);
    const sink = sinks.at(-1)!;
    const row = { raw: 'x'.repeat(4096) };
    // Far more than the kernel and the cap hold together; the sink drops out on the way.
    for (let i = 0; i < (8 * MAX_BUFFERED_BYTES) / 4096; i++) sink.send('log', row, i);
    await until(() => openStreams() === before);
    expect(closed).toHaveLength(2);
    c.destroy();
  });
});
