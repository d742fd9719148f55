import { describe, expect, it } from 'vitest';
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
    const line = { raw: '<134>Nov 30 16:00:00 haproxy[1]: hello', receivedAt: 1 };
    // Each write is answered (rejected), never left waiting; the ingest counts the batch dropped.
    for (let i = 0; i < 5; i++) await expect(writer.write([line])).rejects.toThrow();
    await expect(writer.write([line])).rejects.toThrow(/the log writer thread exited/);
    expect(logged.filter((m) => m.endsWith('restarting it'))).toHaveLength(2);
    expect(logged.at(-1)).toMatch(/not restarted again/);
    await writer.close();
  }, 30_000);
});
