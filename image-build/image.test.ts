import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The appliance image, built and booted the way a user gets it (issue 15): `npm run image` for
 * amd64-vm, then `npm run image:test`, which boots it in QEMU, completes setup with the token
 * from the serial console, serves through a service made in the console, logs in over SSH with a
 * key added there, pulls the power and checks it again (databases, configuration, host key). Root only (mmdebstrap, file ownership in the image).
 */
const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = process.getuid?.() === 0;

function run(script: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const c = spawn('bash', [join(REPO, script), '--target', 'amd64-vm'], { cwd: REPO });
    let out = '';
    c.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      process.stdout.write(d);
    });
    c.stderr.on('data', (d: Buffer) => {
      out += d.toString();
      process.stderr.write(d);
    });
    c.on('exit', (code) => resolve({ code: code ?? 1, out }));
  });
}

describe.skipIf(!root)('the amd64-vm image', () => {
  it('builds from Debian 13 with its apt sources from this machine', async () => {
    const r = await run('image-build/build.sh');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/done: \.tandem\/image\/amd64-vm\/tandem-amd64-vm\.img/);
  });

  it('boots to the console, serves what the console set up, and survives a power cut', async () => {
    const r = await run('image-build/boot-test.sh');
    expect(r.out).toMatch(/boot test: boot to console: [\d.]+ s/);
    expect(r.out).toContain('boot test: an SSH key added in the console logs in');
    expect(r.out).toMatch(
      /boot test: static address 10\.0\.2\.15\/24 kept; a wrong one undone by itself/,
    );
    expect(r.out).toMatch(/boot test: after the power cut, integrity_check: (\S+\.db ok(, )?)+\n/);
    expect(r.out).toContain(
      'boot test: after the power cut: same configuration, still serving, same SSH host key',
    );
    expect(r.code).toBe(0);
  });
});
