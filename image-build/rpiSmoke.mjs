#!/usr/bin/env node
/**
 * The Raspberry Pi image's smoke test (npm run image:test -- --target arm64-rpi): QEMU's
 * emulated Pi 3 (-M raspi3b) boots the kernel, initrd and device tree from the image's own boot
 * partition, with the image as its SD card and the command line of its cmdline.txt. What it
 * checks: the read-only root by PARTUUID, the MBR data partition grown by sfdisk and mounted, the
 * agent started (its setup token on the serial port), no unit failed. What it cannot: the Pi's
 * firmware reading config.txt (QEMU loads the kernel itself), and the network (no NIC is
 * emulated); those are checked on a real Pi.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from './qemuVm.mjs';

const [target, , image] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'tandem-rpi-'));
const serial = join(dir, 'serial.log');
const TIMEOUT_MS = 1_200_000;

// The boot partition starts 4 MiB in (assemble-rpi.sh); mtools reads it in place.
const boot = `${image}@@${4 * 1024 * 1024}`;
const take = (name) => {
  execFileSync('mcopy', ['-i', boot, `::/${name}`, join(dir, name)], {
    env: { ...process.env, MTOOLS_SKIP_CHECK: '1' },
  });
  return join(dir, name);
};
const cmdline = readFileSync(take('cmdline.txt'), 'utf8').trim();
// An SD card's size is a power of two for QEMU: an overlay grown to the next one.
const overlay = join(dir, 'sd.qcow2');
execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', image, overlay]);
const bytes = Number(execFileSync('stat', ['-c', '%s', image]).toString());
execFileSync('qemu-img', ['resize', '-q', overlay, String(2 ** Math.ceil(Math.log2(bytes)))]);

const started = Date.now();
const qemu = spawn(
  'qemu-system-aarch64',
  [
    ...['-M', 'raspi3b', '-m', '1G', '-smp', '4'],
    ...[
      '-kernel',
      take('vmlinuz'),
      '-initrd',
      take('initrd.img'),
      '-dtb',
      take('bcm2837-rpi-3-b.dtb'),
    ],
    // The mini UART (ttyS1, the Pi's serial console) is QEMU's second serial port.
    ...['-append', cmdline, '-drive', `file=${overlay},if=sd,format=qcow2`],
    ...['-serial', 'null', '-serial', `file:${serial}`, '-display', 'none', '-no-reboot'],
  ],
  { stdio: ['ignore', 'inherit', 'inherit'] },
);
try {
  let log = '';
  while (!/setup token [A-Za-z0-9_-]{24}/.test(log)) {
    if (/Unmounted var-lib-tandem\.mount/.test(log))
      throw new Error('rpi smoke: the data partition was unmounted during the boot');
    if (Date.now() - started > TIMEOUT_MS)
      throw new Error('rpi smoke: no setup token within 20 min');
    if (qemu.exitCode !== null) throw new Error('rpi smoke: QEMU exited');
    await sleep(2000);
    log = existsSync(serial) ? readFileSync(serial, 'utf8').replace(/\x1b\[[0-9;]*m/g, '') : '';
  }
  const failed = [...log.matchAll(/FAILED\] Failed to start (\S+)/g)].map((m) => m[1]);
  if (failed.length)
    throw new Error(`rpi smoke: units failed at boot: ${[...new Set(failed)].join(', ')}`);
  for (const want of ['Finished tandem-grow-data.service', 'Mounted var-lib-tandem.mount']) {
    if (!log.includes(want)) throw new Error(`rpi smoke: the serial log does not show ${want}`);
  }
  console.log(
    `rpi smoke: ${target} on an emulated Pi 3: the agent's setup token after ${((Date.now() - started) / 1000).toFixed(0)} s (TCG), no unit failed, the data partition grown and mounted`,
  );
} catch (e) {
  console.error(String(e instanceof Error ? e.message : e));
  console.error(
    existsSync(serial)
      ? readFileSync(serial, 'utf8').split('\n').slice(-50).join('\n')
      : '(no serial log)',
  );
  process.exitCode = 1;
} finally {
  qemu.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
