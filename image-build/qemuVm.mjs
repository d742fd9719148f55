/**
 * One QEMU virtual machine of the boot test, on an overlay of the built image (the image stays
 * as built) two GiB bigger than it, as on a real medium: the data partition grows into it.
 * User-mode networking forwards only 127.0.0.1 ports: the console (443), a service (8443), SSH.
 */
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** What differs between the targets' machines. */
const MACHINES = {
  // Under TCG the x86 guest gets one CPU: with two, multi-threaded TCG lets one vCPU run code
  // another is live-patching (the kernel flips a static key with int3 when a socket asks for
  // packet timestamps); it met the stale int3 after the patch was done and the kernel panicked
  // in the boot test ("Fatal exception in interrupt" in netif_receive_skb_list_internal).
  amd64: (kvm) => ({
    binary: 'qemu-system-x86_64',
    args: [
      ...['-machine', `q35,accel=${kvm ? 'kvm:tcg' : 'tcg'}`, '-cpu', kvm ? 'host' : 'max'],
      ...['-smp', kvm ? '2' : '1'],
    ],
  }),
  // No KVM for arm64 on an x86 host: TCG, with a core model (-cpu max's pointer authentication
  // is emulated slowly).
  arm64: () => ({
    binary: 'qemu-system-aarch64',
    args: ['-machine', 'virt', '-cpu', 'cortex-a72', '-smp', '2'],
  }),
};

/**
 * `mac` gives the first NIC its address (two VMs must not share one: the unit is named after
 * it); `link` adds a second NIC on a QEMU socket network, `{ listen: port }` on one VM and
 * `{ connect: port }` on the other: a cable between two units. `tryKvm: false` skips the KVM attempt
 * (a second VM, once the first found KVM unusable: its failed start would race the cable).
 */
export async function createVm({
  arch,
  image,
  format,
  firmwareCode,
  firmwareVars,
  dir,
  mac,
  link,
  tryKvm = true,
}) {
  const overlay = join(dir, 'disk.qcow2');
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', format, '-b', image, overlay]);
  execFileSync('qemu-img', ['resize', '-q', overlay, '+2G']);
  const vars = join(dir, 'vars.fd');
  copyFileSync(firmwareVars, vars);
  const ports = { console: await freePort(), service: await freePort(), ssh: await freePort() };
  const serial = join(dir, 'serial.log');
  const monitor = join(dir, 'monitor.sock');
  // KVM when it works: nested KVM may refuse the host CPU model's MSRs (QEMU exits at once) or
  // fail to emulate an instruction later (QEMU stops the machine): TCG then, either way.
  let kvm = arch === 'amd64' && existsSync('/dev/kvm') && tryKvm;

  const start = () => {
    rmSync(serial, { force: true });
    const m = MACHINES[arch](kvm);
    const qemu = spawn(
      m.binary,
      [
        ...m.args,
        ...['-m', '1536'],
        ...['-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${firmwareCode}`],
        ...['-drive', `if=pflash,format=raw,unit=1,file=${vars}`],
        ...['-drive', `file=${overlay},if=virtio,format=qcow2`],
        '-netdev',
        `user,id=n0,hostfwd=tcp:127.0.0.1:${ports.console}-:443,hostfwd=tcp:127.0.0.1:${ports.service}-:8443,hostfwd=tcp:127.0.0.1:${ports.ssh}-:22`,
        ...['-device', `virtio-net-pci,netdev=n0${mac ? `,mac=${mac}` : ''}`],
        ...(link
          ? [
              '-netdev',
              `socket,id=n1,${link.listen ? `listen=127.0.0.1:${link.listen}` : `connect=127.0.0.1:${link.connect}`}`,
              ...['-device', `virtio-net-pci,netdev=n1,mac=${link.mac}`],
            ]
          : []),
        ...['-serial', `file:${serial}`, '-display', 'none', '-no-reboot'],
        ...['-monitor', `unix:${monitor},server,nowait`],
      ],
      { stdio: ['ignore', 'inherit', 'pipe'] },
    );
    const run = { qemu, at: Date.now() };
    // Nested KVM may also fail later, inside the guest ("KVM internal error ... emulation
    // failure"): QEMU then stops the machine without exiting. Start it again with TCG, on the
    // same disk and ports, so whoever waits for the console keeps waiting for the same thing.
    qemu.stderr.on('data', (b) => {
      process.stderr.write(b);
      if (!kvm || current !== run || !String(b).includes('KVM internal error')) return;
      kvm = false;
      console.error('boot test: KVM failed inside the guest, booting again with TCG');
      qemu.kill('SIGKILL');
      qemu.once('exit', () => {
        if (current === run) current = start();
      });
    });
    return run;
  };

  let current = null;
  return {
    ports,
    serial,
    /** QEMU's monitor (screendump). */
    monitor,
    get kvm() {
      return kvm;
    },
    /** Since when the machine runs (ms since the epoch). */
    get startedAt() {
      return current?.at ?? 0;
    },
    /** Boots, falling back to TCG when QEMU cannot run with KVM (it exits at once). */
    async boot() {
      const run = (current = start());
      const early = await Promise.race([
        new Promise((r) => run.qemu.once('exit', () => r(true))),
        sleep(5_000).then(() => false),
      ]);
      // Not exited, or already started again with TCG (KVM failed inside the guest).
      if (!early || current !== run) return;
      if (!kvm) throw new Error('boot test: QEMU exited at once');
      kvm = false;
      console.error('boot test: KVM does not work here, booting with TCG');
      current = start();
    },
    /** The power goes: QEMU killed, no shutdown, nothing flushed by the guest. */
    async pullThePower() {
      if (!current) return;
      const q = current.qemu;
      if (q.exitCode === null) {
        q.kill('SIGKILL');
        await new Promise((r) => q.once('exit', r));
      }
      current = null;
    },
  };
}
