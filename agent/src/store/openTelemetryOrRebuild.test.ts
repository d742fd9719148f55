import {
  statSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEventStore } from './eventStore.js';
import {
  checkMarker,
  isDamage,
  noteDamage,
  openTelemetryOrRebuild,
} from './openTelemetryOrRebuild.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A telemetry DB on disk with `n` events in it, closed (checkpointed). */
function fileWithEvents(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-telemetry-'));
  dirs.push(dir);
  const path = join(dir, 'telemetry.db');
  const { db } = openTelemetryOrRebuild(path, 'x');
  const events = openEventStore(db);
  for (let i = 0; i < n; i++)
    events.add({
      at: i,
      kind: 'agent',
      severity: 'info',
      subject: 'test',
      message: `event ${i} ${'x'.repeat(200)}`,
    });
  db.close();
  return path;
}

/** Overwrites `length` bytes at `offset` with 0xA5: what a bad sector or a torn write leaves. */
function scribble(path: string, offset: number, length: number) {
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(length, 0xa5), 0, length, offset);
  closeSync(fd);
}

const eventCount = (path: string) => {
  const { db } = openTelemetryOrRebuild(path, 'y');
  const n = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  db.close();
  return n;
};

describe('openTelemetryOrRebuild', () => {
  it('opens a sound file as it is, with nothing set aside', () => {
    const path = fileWithEvents(50);
    const { db, setAside } = openTelemetryOrRebuild(path, 'x');
    db.close();
    expect(setAside).toBeNull();
    expect(eventCount(path)).toBe(50);
  });

  it('sets a file with a damaged header aside, keeps it, and starts afresh', () => {
    const path = fileWithEvents(50);
    scribble(path, 0, 100);
    const { db, setAside } = openTelemetryOrRebuild(path, '2026-12-01T22-00-00-000Z');
    db.close();
    expect(setAside).toEqual({
      path: `${path}.damaged-2026-12-01T22-00-00-000Z`,
      reason: expect.stringMatching(/not a database/) as string,
    });
    expect(existsSync(setAside!.path)).toBe(true);
    expect(eventCount(path)).toBe(0);
  });

  it('checks the whole file when damage was met while running, and sets it aside if damaged', () => {
    const path = fileWithEvents(2000);
    // The header of every page past the schema's: the tables' b-tree pages no longer parse.
    const pages = statSync(path).size / 4096;
    for (let p = 2; p < pages; p++) scribble(path, 4096 * p, 12);
    noteDamage(
      path,
      Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' }),
    );
    expect(existsSync(checkMarker(path))).toBe(true);
    const { db, setAside } = openTelemetryOrRebuild(path, 's');
    db.close();
    expect(setAside?.path).toBe(`${path}.damaged-s`);
    expect(existsSync(checkMarker(path))).toBe(false);
    expect(eventCount(path)).toBe(0);
  });

  it('keeps a file the check finds sound, and clears the request', () => {
    const path = fileWithEvents(100);
    noteDamage(
      path,
      Object.assign(new Error('disk image is malformed'), { code: 'SQLITE_CORRUPT' }),
    );
    const { db, setAside } = openTelemetryOrRebuild(path, 's');
    db.close();
    expect(setAside).toBeNull();
    expect(existsSync(checkMarker(path))).toBe(false);
    expect(eventCount(path)).toBe(100);
  });

  it('asks for a check only for damage, not for other errors', () => {
    const path = fileWithEvents(1);
    noteDamage(path, Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
    noteDamage(path, new Error('disk I/O error'));
    expect(existsSync(checkMarker(path))).toBe(false);
    expect(isDamage(Object.assign(new Error('x'), { code: 'SQLITE_NOTADB' }))).toBe(true);
    expect(readdirSync(join(path, '..')).filter((f) => f.includes('damaged'))).toEqual([]);
  });
});
