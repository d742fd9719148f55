import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createFakeLogListener } from '../adapters/logListener.js';
import { createLogIngest } from './logIngest.js';
import type { LogWriter, RawChunk } from './logWriter.js';

/** A writer that keeps what it was given, and answers when the test says. */
function fakeWriter() {
  const stored: string[] = [];
  let gate: Promise<void> = Promise.resolve();
  let open: () => void = () => undefined;
  const writer: LogWriter = {
    write: async (chunks: readonly RawChunk[]) => {
      await gate;
      const lines = chunks.flatMap((c) =>
        ('text' in c ? c.text : Buffer.from(c.bytes).toString('utf8')).split('\n'),
      );
      stored.push(...lines);
      return { stored: lines.length };
    },
    saveSummary: () => undefined,
    close: () => Promise.resolve(),
  };
  return {
    writer,
    stored,
    hold: () => (gate = new Promise<void>((r) => (open = r))),
    release: () => open(),
  };
}
const line = (pid: number, n: number) => `<134>Nov 30 16:00:00 host haproxy[${pid}]: request ${n}`;
const until = async (ok: () => boolean) => {
  const deadline = Date.now() + 5_000;
  while (!ok() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
};

describe('log ingest (fake connections)', () => {
  it('splits lines across chunks, stores them in order, and knows where each forwarder is', async () => {
    const w = fakeWriter();
    const fake = createFakeLogListener();
    const ingest = createLogIngest({
      writer: w.writer,
      listener: fake.listener,
      batchMs: 5,
      log: () => undefined,
    });
    await ingest.start();
    const c = new PassThrough();
    fake.connect(c);
    const text = `${line(7, 1)}\n${line(7, 2)}\n${line(7, 3)}\n`;
    c.write(text.slice(0, 20));
    c.write(text.slice(20));
    await until(() => w.stored.length === 3);
    expect(w.stored).toEqual([line(7, 1), line(7, 2), line(7, 3)]);
    expect(ingest.lastLineOf(7)).toBe(line(7, 3));
    expect(ingest.forwarding(7)).toBe(true);
    c.destroy();
    await until(() => !ingest.forwarding(7));
    expect(ingest.forwarding(7)).toBe(false);
    // Lines read another way (the reload tap) join the same queue.
    ingest.push([line(7, 4)]);
    await until(() => w.stored.length === 4);
    await ingest.stop();
    expect(fake.closed()).toBe(true);
    expect(ingest.metrics()).toMatchObject({ received: 4, stored: 4, dropped: 0 });
  });

  it('stops reading while the queue is full and the writer busy, and reads on after', async () => {
    const w = fakeWriter();
    w.hold();
    const fake = createFakeLogListener();
    const ingest = createLogIngest({
      writer: w.writer,
      listener: fake.listener,
      batchMs: 5,
      maxQueue: 10,
      log: () => undefined,
    });
    await ingest.start();
    const c = new PassThrough();
    fake.connect(c);
    c.write(Array.from({ length: 25 }, (_, i) => line(9, i)).join('\n') + '\n');
    await until(() => c.isPaused());
    // Full: the connection is paused (TCP pushes back to HAProxy), nothing is dropped.
    expect(c.isPaused()).toBe(true);
    w.release();
    await until(() => w.stored.length === 25);
    expect(w.stored).toHaveLength(25);
    expect(ingest.metrics().dropped).toBe(0);
    await ingest.stop();
  });
});
