import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { tmpdir } from 'node:os';
import { ApiError } from '@tandem/agent/cli/apiClient';
import { checkStores } from '@tandem/agent/testing/storeCheck';
import { httpGet } from '@tandem/agent/testing/agentProcess';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyRuntimes } from '../support/haproxyRuntimes.js';
import { httpLogLine, sendLines } from '../support/logLines.js';
import { startWebUnit, type WebUnit } from '../support/webUnit.js';

/**
 * The storage turning read-only under the running unit (issue 20), the way a failing SD card does
 * it: the state directory is an ext4 filesystem of its own (a file on a loop device) mounted with
 * `errors=remount-ro` as the appliance mounts its data partition, and the test makes ext4 meet an
 * error (`trigger_fs_error`), so the kernel turns it read-only with the databases open. The unit
 * must go on serving and answering, refuse changes saying why, and after the reboot's fsck start
 * with what it had. Root only (loop devices, mount).
 */
const root = process.getuid?.() === 0;
const host = haproxyRuntimes()[0]!;
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' }).trim();

describe.skipIf(!root)('the storage turning read-only under the running unit', () => {
  let dir = '';
  let image = '';
  let mount = '';
  let unit: WebUnit;
  const mountIt = () => run('mount', ['-o', 'loop,errors=remount-ro,noatime', image, mount]);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tandem-ro-'));
    image = join(dir, 'data.img');
    mount = join(dir, 'data');
    await writeFile(image, Buffer.alloc(0));
    run('truncate', ['-s', '96M', image]);
    run('mkfs.ext4', ['-q', '-F', image]);
    run('mkdir', ['-p', mount]);
    mountIt();
    unit = await startWebUnit(host, 'ro-backend', { stateDir: join(mount, 'unit') });
    await unit.putWeb('s0', 'before the card fails');
    await unit.agent.api.send('POST', '/v1/apply', {});
  });
  afterAll(async () => {
    await unit?.stop();
    // Mounted unless the test stopped between the reboot's unmount and mount.
    if (mount) spawnSync('umount', [mount], { stdio: 'ignore' });
    await rm(dir, { recursive: true, force: true });
  });

  it('serves and answers, refuses changes saying why, and starts whole after the fsck', async () => {
    const { agent, port } = unit;
    const before = await unit.status();
    const device = basename(run('findmnt', ['-n', '-o', 'SOURCE', mount]));
    // ext4 meets an error: with errors=remount-ro the kernel turns the filesystem read-only.
    await writeFile(`/sys/fs/ext4/${device}/trigger_fs_error`, 'tandem test: card failing');
    // (Newer kernels say `emergency_ro` among the options rather than `ro`: a write is the proof.)
    await expect(writeFile(join(mount, 'probe'), 'x')).rejects.toThrow(/EROFS/);

    const pending = await unit.putWeb('s1', 'made on a read-only card').catch((e: unknown) => e);
    expect(pending).toBeInstanceOf(ApiError);
    expect([(pending as ApiError).status, (pending as ApiError).code]).toEqual([
      507,
      'storage_unavailable',
    ]);
    expect((pending as ApiError).message).toMatch(/storage .*nothing was saved/);
    const live = await agent.api
      .send('POST', '/v1/servers/web/s0', { change: { weight: 7 }, message: 'weight' })
      .catch((e: unknown) => e);
    expect((live as ApiError).code).toBe('storage_unavailable');

    // Traffic, log lines and the sampler meet the read-only store: each says so and is counted,
    // and the agent answers all along.
    for (let i = 0; i < 50; i++) {
      expect((await httpGet(port)).body).toBe('ro-backend');
      await sendLines(agent.logPort, [httpLogLine(`ro${i}`)]);
    }
    await expect
      .poll(
        async () =>
          Number(
            /tandem_log_lines_dropped_total (\d+)/.exec(await agent.api.text('/metrics'))?.[1],
          ),
        { timeout: 60_000, interval: 200 },
      )
      .toBeGreaterThanOrEqual(50);
    await expect
      .poll(() => agent.log(), { timeout: 60_000, interval: 200 })
      .toMatch(/could not store \d+ stat points/);
    expect((await httpGet(port)).body).toBe('ro-backend');
    const during = await unit.status();
    expect([during.running, during.haproxy.running]).toEqual([before.running, true]);
    expect(during.drift).toEqual([]);

    // The reboot: the agent stops, the filesystem is checked and mounted again.
    await agent.stop();
    run('umount', [mount]);
    // 0: clean; 1: errors corrected (the error the test made is recorded in the superblock).
    const fsck = spawnSync('fsck.ext4', ['-f', '-y', image], { encoding: 'utf8' });
    expect(fsck.status, fsck.stdout).toBeLessThanOrEqual(1);
    mountIt();
    const stores = checkStores(join(mount, 'unit'));
    for (const [file, result] of Object.entries(stores.integrity))
      expect(`${file}: ${result}`).toBe(`${file}: ok`);
    expect(stores.generations.has(before.running!)).toBe(true);
    await agent.start();
    const after = await unit.status();
    expect([after.running, after.desired]).toEqual([before.running, before.desired]);
    expect((await httpGet(port)).body).toBe('ro-backend');
    const g = await unit.putWeb('s1', 'after the fsck');
    await agent.api.send('POST', '/v1/apply', {});
    expect((await unit.status()).running).toBe(g.number);
  }, 180_000);
});
