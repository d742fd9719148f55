import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { createThreadLogWriter } from './logWriterThread.js';

describe('log writer thread', () => {
  it('answers every write even when its thread cannot run: restarts, then fails at once', async () => {
    const logged: string[] = [];
    // A thread that dies at start, every time (here: a database in a directory that does not
    // exist; under vitest also the worker's module, which only exists built).
    const writer = createThreadLogWriter('/nonexistent/dir/telemetry.db', {
      log: (m) => void logged.push(m),
      maxRestarts: 2,
    });
    const line = { text: '<134>Nov 30 16:00:00 haproxy[1]: hello', receivedAt: 1 };
    // Each write is answered (rejected), never left waiting; the ingest counts the batch dropped.
    for (let i = 0; i < 5; i++) await expect(writer.write([line])).rejects.toThrow();
    await expect(writer.write([line])).rejects.toThrow(/the log writer thread exited/);
    expect(logged.filter((m) => m.endsWith('restarting it'))).toHaveLength(2);
    expect(logged.at(-1)).toMatch(/not restarted again/);
    await writer.close();
  }, 30_000);
});

describe('log writer thread when idle', () => {
  it('starts with the first batch, leaves when idle, and starts again for the next', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'writer-'));
    // A stand-in thread that answers every batch (the real one only exists built).
    const script = join(dir, 'echo.mjs');
    writeFileSync(
      script,
      `import { parentPort } from 'node:worker_threads';
parentPort.on('message', (m) => parentPort.postMessage({ id: m.id, result: { stored: m.chunks.map((c) => c.text.split('\\n').length).reduce((a, b) => a + b, 0), parseErrors: 0 } }));`,
    );
    const writer = createThreadLogWriter(join(dir, 'telemetry.db'), {
      idleMs: 100,
      workerUrl: pathToFileURL(script),
    });
    expect(writer.running()).toBe(false);
    const line = { text: 'hello', receivedAt: 1 };
    await expect(writer.write([line, line])).resolves.toMatchObject({ stored: 2 });
    expect(writer.running()).toBe(true);
    await vi.waitFor(() => expect(writer.running()).toBe(false), { timeout: 10_000 });
    await expect(writer.write([line])).resolves.toMatchObject({ stored: 1 });
    expect(writer.running()).toBe(true);
    await writer.close();
  }, 30_000);
});

describe("log writer thread's heap", () => {
  it('shows the heap its thread last reported, and 0 once the thread has left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'writer-'));
    // A stand-in that reports a heap size (as threadHeap.ts does) before every answer.
    const script = join(dir, 'heap.mjs');
    writeFileSync(
      script,
      `import { parentPort } from 'node:worker_threads';
parentPort.on('message', (m) => {
  parentPort.postMessage({ heapBytes: 1000 + m.id });
  parentPort.postMessage({ id: m.id, result: { stored: 1, parseErrors: 0 } });
});`,
    );
    const writer = createThreadLogWriter(join(dir, 'telemetry.db'), {
      idleMs: 100,
      workerUrl: pathToFileURL(script),
    });
    expect(writer.heapBytes()).toBe(0);
    const line = { text: 'hello', receivedAt: 1 };
    // The report is not taken for an answer: the write still gets its own.
    await expect(writer.write([line])).resolves.toMatchObject({ stored: 1 });
    expect(writer.heapBytes()).toBe(1000);
    await expect(writer.write([line])).resolves.toMatchObject({ stored: 1 });
    expect(writer.heapBytes()).toBe(1001);
    await vi.waitFor(() => expect(writer.running()).toBe(false), { timeout: 10_000 });
    await vi.waitFor(() => expect(writer.heapBytes()).toBe(0), { timeout: 10_000 });
    await writer.close();
  }, 30_000);
});
