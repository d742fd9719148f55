import { execFileSync } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '@tandem/agent/cli/apiClient';
import { httpGet } from '@tandem/agent/testing/agentProcess';
import type { StatusResponse } from '@tandem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyRuntimes } from '../support/haproxyRuntimes.js';
import { startWebUnit, type WebUnit } from '../support/webUnit.js';
import { httpLogLine, sendLines } from '../support/logLines.js';

/**
 * The unit's storage failing under it (issue 20): the state directory on a small tmpfs of its own,
 * filled to the last byte while the unit runs and serves. An apply is refused saying the storage is
 * full, what runs stays as it was and HAProxy serves; log lines arriving meanwhile do not stop the
 * agent; once space is back, the same apply goes through and the ingest stores again. Root only
 * (mount).
 */
const root = process.getuid?.() === 0;
const host = haproxyRuntimes()[0]!;

/** Writes a file until the filesystem says it is full; returns its path. */
async function fill(dir: string): Promise<string> {
  const path = join(dir, 'filler');
  const f = await open(path, 'w');
  const chunk = Buffer.alloc(1024 * 1024, 1);
  try {
    for (;;) await f.write(chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    await f.close().catch(() => undefined);
  }
  // The last partial blocks too: nothing is left for the agent.
  const g = await open(path, 'a');
  try {
    for (;;) await g.write(Buffer.alloc(512, 1));
  } catch {
    // full to the byte
  } finally {
    await g.close().catch(() => undefined);
  }
  return path;
}

/**
 * A unit whose state directory is a 48 MB tmpfs of its own, serving `name` with one applied
 * generation; `close` stops it and removes the filesystem (writable again first, if need be).
 */
async function unitOnTmpfs(name: string) {
  const mount = await mkdtemp(join(tmpdir(), 'tandem-storage-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', mount]);
  const unit = await startWebUnit(host, name, { stateDir: join(mount, 'unit') });
  await unit.putWeb('s0', 'first');
  await unit.agent.api.send('POST', '/v1/apply', {});
  return {
    mount,
    unit,
    async close() {
      await unit.stop();
      execFileSync('mount', ['-o', 'remount,rw', mount]);
      execFileSync('umount', [mount]);
      await rm(mount, { recursive: true, force: true });
    },
  };
}

describe.skipIf(!root)('a full disk under the running unit', () => {
  let t: Awaited<ReturnType<typeof unitOnTmpfs>>;
  let unit: WebUnit;
  let mount = '';
  beforeAll(async () => {
    t = await unitOnTmpfs('storage-backend');
    ({ unit, mount } = t);
  });
  afterAll(() => t?.close());

  it('refuses an apply saying so, keeps what runs and serves; all works again once space is back', async () => {
    const { agent, port } = unit;
    const before = await agent.api.get<StatusResponse>('/v1/status');
    const pending = await unit.putWeb('s1', 'waits for the full disk');
    const filler = await fill(mount);

    const refused = await agent.api.send('POST', '/v1/apply', {}).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    const e = refused as ApiError;
    expect([e.status, e.code]).toEqual([507, 'storage_unavailable']);
    expect(e.message).toMatch(/storage is full: nothing was saved and what runs is unchanged/);
    const during = await agent.api.get<StatusResponse>('/v1/status');
    expect(during.running).toBe(before.running);
    expect(await agent.configOnDisk()).toBe(
      await agent.api.text(`/v1/config/haproxy.cfg?generation=${before.running}`),
    );
    expect((await httpGet(port)).body).toBe('storage-backend');

    // Lines arriving on a full disk: the agent keeps answering (they may be dropped).
    for (let i = 0; i < 20; i++) await sendLines(agent.logPort, [httpLogLine(`full${i}`)]);
    expect((await agent.api.get<StatusResponse>('/v1/status')).haproxy.running).toBe(true);

    await rm(filler);
    const applied = await agent.api.send<{ generation: number }>('POST', '/v1/apply', {});
    expect(applied.generation).toBe(pending.number);
    expect((await agent.api.get<StatusResponse>('/v1/status')).running).toBe(pending.number);
    expect((await httpGet(port)).body).toBe('storage-backend');
    await sendLines(agent.logPort, [httpLogLine('spaceback')]);
    await expect
      .poll(
        async () =>
          (await agent.api.get<{ items: unknown[] }>('/v1/logs?q=spaceback')).items.length,
        { timeout: 30_000, interval: 100 },
      )
      .toBe(1);
  }, 120_000);
});

describe.skipIf(!root)('a read-only state directory at start', () => {
  let t: Awaited<ReturnType<typeof unitOnTmpfs>>;
  let unit: WebUnit;
  let mount = '';
  beforeAll(async () => {
    t = await unitOnTmpfs('readonly-backend');
    ({ unit, mount } = t);
  });
  afterAll(() => t?.close());

  it('says its storage is read-only and stops; started again on a writable one, nothing is lost', async () => {
    const { agent, port } = unit;
    const before = await unit.status();
    await agent.stop();
    // What a failing card does: the kernel remounts it read-only (here: by hand, nothing open).
    execFileSync('mount', ['-o', 'remount,ro', mount]);
    await expect(agent.start()).rejects.toThrow(
      /agent: cannot start: the unit's storage is read-only \(a failing card or disk is remounted read-only\)/,
    );
    execFileSync('mount', ['-o', 'remount,rw', mount]);
    await agent.start();
    const after = await unit.status();
    expect([after.running, after.desired]).toEqual([before.running, before.desired]);
    expect((await httpGet(port)).body).toBe('readonly-backend');
  }, 120_000);
});
