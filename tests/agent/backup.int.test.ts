import { request } from 'node:http';
import { join } from 'node:path';
import type { AgentHandle } from '@tandem/agent/testing/agentProcess';
import { ApiError } from '@tandem/agent/cli/apiClient';
import type { Backup } from '@tandem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyRuntimes, startAgentOn } from '../support/haproxyRuntimes.js';
import { freePort } from '../support/ports.js';

/** Backup of the whole history as one file; restore re-validates and commits a new generation. */
describe('backup and restore', () => {
  const rt = haproxyRuntimes()[0]!;
  let agent: AgentHandle;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ agent, cleanup } = await startAgentOn(rt, 'backup', await freePort()));
  });
  afterAll(async () => {
    await agent.stop();
    await cleanup();
  });
  const latest = async () =>
    await agent.api.get<{ generation: number; config: { services: { name: string }[] } }>(
      '/v1/config',
    );

  it('restores a generation of a backup as a new generation, and refuses a tampered one naming the field', async () => {
    const g1 = await latest();
    await agent.api.send('POST', '/v1/services', {
      base: g1.generation,
      template: 'http-load-balancing',
      params: { name: 'web', port: await freePort(), servers: [{ address: '127.0.0.1', port: 9 }] },
      message: 'a service',
    });
    const backup = await agent.api.get<Backup>('/v1/backup');
    expect(backup).toMatchObject({ format: 'tandem-backup', version: 1 });
    expect(backup.generations.map((g) => g.number)).toEqual([1, 2]);
    expect(JSON.stringify(backup)).not.toMatch(/password|hash|token/i);

    // First what it would change, committing nothing: the service goes, in both diffs.
    const base = (await latest()).generation;
    const dry = await agent.api.send<{ preview: { config: string; haproxy: string } }>(
      'POST',
      '/v1/restore?dryRun=true',
      { base, backup, generation: 1 },
    );
    expect(dry.preview.config).toMatch(/^-\s+"name": "web"/m);
    // The service was never applied: what would run differs from what runs by its number only.
    expect(dry.preview.haproxy).toMatch(/generation 1 \(running\)/);
    expect(dry.preview.haproxy).not.toMatch(/^[-+]frontend/m);
    expect((await latest()).generation).toBe(base);
    // Back to generation 1 of the backup: a new generation 3, no services.
    const r = await agent.api.send<{ generation: { number: number; origin: string } }>(
      'POST',
      '/v1/restore',
      {
        base,
        backup,
        generation: 1,
      },
    );
    expect(r.generation).toMatchObject({ number: 3, origin: 'restore' });
    expect((await latest()).config.services).toEqual([]);

    // A file edited by hand: the port is out of range. Refused, with the field named.
    const bad = structuredClone(backup);
    const cfg = bad.generations[1]?.config as { services: { binds: { port: number }[] }[] };
    cfg.services[0]!.binds[0]!.port = 70_000;
    const err = await agent.api
      .send('POST', '/v1/restore', { base: 3, backup: bad })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).body.error.fields.map((f) => f.path)).toEqual([
      'backup.generations[1].config.services[0].binds[0].port',
    ]);
    const notOurs = await agent.api
      .send('POST', '/v1/restore', { base: 3, backup: { format: 'other' } })
      .catch((e: unknown) => e);
    expect((notOurs as ApiError).body.error.code).toBe('bad_request');
    expect((await latest()).generation).toBe(3);
  });

  it('refuses a backup from a newer version, a truncated one and one too large, restoring nothing', async () => {
    const before = (await latest()).generation;
    const backup = await agent.api.get<Backup>('/v1/backup');
    const newer = await agent.api
      .send('POST', '/v1/restore', { base: before, backup: { ...backup, version: 2 } })
      .catch((e: unknown) => e);
    expect((newer as ApiError).body.error.fields).toEqual([
      { path: 'backup.version', message: expect.stringMatching(/newer/) as unknown as string },
    ]);
    // The file cut short and sent as it is: not JSON, said so.
    const text = JSON.stringify({ base: before, backup });
    const raw = (body: string) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(
          {
            socketPath: join(agent.stateDir, 'agent.sock'),
            method: 'POST',
            path: '/v1/restore',
            headers: { 'content-type': 'application/json' },
          },
          (res) => {
            let t = '';
            res.on('data', (c: Buffer) => (t += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text: t }));
          },
        );
        // A body over the limit is answered before it is all sent: the rest is not wanted.
        req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' ? undefined : reject(e)));
        req.end(body);
      });
    const cut = await raw(text.slice(0, Math.floor(text.length / 2)));
    expect(cut.status).toBe(400);
    expect(cut.text).toMatch(/request body is not valid JSON/);
    // 17 MB: past the 16 MB every request body is held to.
    const big = await raw(JSON.stringify({ base: before, padding: 'x'.repeat(17 * 1024 * 1024) }));
    expect(big.status).toBe(400);
    expect(big.text).toMatch(/request body too large/);
    expect((await latest()).generation).toBe(before);
  });

  it('round-trips through tandemctl backup and restore', async () => {
    const { execFile } = await import('node:child_process');
    const { writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const ctl = (args: string[]) =>
      new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          [
            new URL('../../agent/bin/tandemctl.js', import.meta.url).pathname,
            '--socket',
            join(agent.stateDir, 'agent.sock'),
            ...args,
          ],
          (e, stdout, stderr) => (e ? reject(new Error(stderr)) : resolve(stdout)),
        ),
      );
    const text = await ctl(['backup']);
    const file = join(agent.stateDir, 'backup.json');
    await writeFile(file, text);
    expect(await ctl(['restore', file, '--generation', '2'])).toMatch(/restored as generation 4/);
    expect((await latest()).config.services.map((s) => s.name)).toEqual(['web']);
  });
});
