#!/usr/bin/env node
/**
 * The image's boot test (npm run image:test -- --target T; image-build/README.md). Boots the
 * built image in QEMU and goes through what a user does with a new unit: waits for the console
 * over HTTPS, completes setup with the token read from the serial log, creates a service (a TCP
 * port map to the console inside the VM) and checks a request is served through it, adds an SSH
 * key in the console and logs in with it. Then it pulls the power (QEMU killed, no shutdown),
 * boots again and checks: the databases pass integrity_check, what Tandem adds stays small with
 * nobody signed in, the same configuration still serves, the SSH host key is the same.
 * Prints a report and writes it to boot.json beside the image (npm run bench -- image reads it).
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createVm, sleep } from './qemuVm.mjs';
import { screendump } from './screendump.mjs';
import {
  addSshKey,
  consoleApi,
  consoleUp as consoleUpOn,
  firstAdmin,
  https,
  mapConsole,
  memoryOnUnit,
  setupToken,
  signIn,
  sshHostKey,
  sshTo,
  until,
} from './unitProbe.mjs';

const [target, arch, image, format, firmwareCode, firmwareVars] = process.argv.slice(2);
const PW = 'a long enough boot-test passphrase';
// A bound for a boot that hangs, not a figure (the boot's time is measured and reported): QEMU's
// TCG on a busy host took 243 s to the console for amd64 on 2026-12-02, against ~40 s the day before.
const BOOT_TIMEOUT_MS = Number(process.env.TANDEM_BOOT_TIMEOUT_MS ?? 900_000);
/** The log writer thread leaves after 60 s with nothing to write: idle means after that. */
const IDLE_AFTER_S = 75;

const dir = mkdtempSync(join(tmpdir(), 'tandem-boot-'));
const vm = await createVm({ arch, image, format, firmwareCode, firmwareVars, dir });
const key = join(dir, 'id_ed25519');
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'boot-test', '-f', key]);
const ssh = sshTo(vm.ports.ssh, key);
const report = { target, measuredAt: new Date().toISOString() };
const say = (line) => console.log(`boot test: ${line}`);

const consoleUp = () => consoleUpOn(vm.ports.console, BOOT_TIMEOUT_MS);
const servedThrough = () =>
  until(
    'a request through the new service',
    120_000,
    async () => (await https(vm.ports.service, 'GET', '/api/v1/auth/state')).status === 200,
  );
const seconds = () => Number(((Date.now() - vm.startedAt) / 1000).toFixed(1));

try {
  await vm.boot();
  await consoleUp();
  report.bootToConsoleSeconds = seconds();
  report.accel = vm.kvm ? 'KVM' : 'TCG';
  say(`boot to console: ${report.bootToConsoleSeconds} s (${report.accel})`);
  const log = readFileSync(vm.serial, 'utf8');
  // A unit that fails at boot degrades the appliance (and hides real failures): none may.
  const plain = log.replace(/\x1b\[[0-9;]*m/g, '');
  const failed = [...plain.matchAll(/FAILED\] Failed to start (\S+)/g)].map((m) => m[1]);
  if (failed.length > 0)
    throw new Error(`boot test: units failed at boot: ${[...new Set(failed)].join(', ')}`);
  const token = setupToken(log);
  // docs/install.md's picture of the screen at first boot: name, address and token (VGA: amd64).
  if (process.env.UPDATE_SCREENSHOTS === '1' && arch === 'amd64') {
    await screendump(
      vm.monitor,
      join(dir, 'screen.ppm'),
      join(process.cwd(), 'docs/install/first-boot-console.png'),
    );
    say('screen at first boot written to docs/install/first-boot-console.png');
  }
  const api = await firstAdmin(vm.ports.console, token, PW);
  await mapConsole(api, 'boot test');
  await servedThrough();
  say('a service made through the console serves');

  // An SSH key added in the console (sudo mode) logs in; password login is off.
  await addSshKey(api, PW, `${key}.pub`);
  const status = JSON.parse(
    // As long as the boot may take: on that slow day one login (key exchange, then Node starting
    // tandemctl) took over the minute this waited before.
    await until('an SSH login with the key', BOOT_TIMEOUT_MS, async () =>
      ssh('tandemctl status --json'),
    ),
  );
  if (status.running !== status.desired)
    throw new Error(`boot test: tandemctl status says ${JSON.stringify(status)}`);
  say('an SSH key added in the console logs in; tandemctl answers on the unit');
  const hostKey = await sshHostKey(vm.ports.ssh);

  // A static address from the console: the one DHCP gave, confirmed from the page that still
  // reaches the unit, is kept. A wrong one, not confirmed, cuts the console off until the unit
  // goes back by itself when the window ends.
  const net = await api('GET', '/v1/system/network');
  const [own] = net.addresses;
  // The answer may be lost while the address is taken down and up again: the view tells.
  const set =
    (await api('PUT', '/v1/system/network', {
      mode: 'static',
      address: own,
      gateway: '10.0.2.2',
      dns: ['10.0.2.3'],
    }).catch(() => null)) ??
    (await until('the static address to wait for its confirmation', 60_000, () =>
      api('GET', '/v1/system/network'),
    ));
  if (!set.confirm)
    throw new Error(
      'boot test: a static address from the console did not wait for its confirmation',
    );
  // networkd takes the address down and up again after answering: a request in that gap is
  // reset, so the confirmation is retried until the unit says nothing waits for one.
  await until('the static address confirmed', 50_000, async () => {
    await api('POST', '/v1/system/network/confirm', {}).catch(() => null);
    return (await api('GET', '/v1/system/network')).confirm === null;
  });
  await api('PUT', '/v1/system/network', {
    mode: 'static',
    address: '10.0.2.99/24',
    gateway: '10.0.2.2',
  }).catch(() => null);
  const cutAt = Date.now();
  const back = await until('the unit back on its confirmed address', 300_000, async () => {
    const v = await api('GET', '/v1/system/network');
    return v.confirm === null && v.settings.address === own ? v : null;
  });
  report.networkRollbackSeconds = Math.round((Date.now() - cutAt) / 1000);
  say(
    `static address ${back.settings.address} kept; a wrong one undone by itself after ${report.networkRollbackSeconds} s`,
  );

  // First boot grew the data partition to the disk, and named the unit from its MAC.
  const system = await api('GET', '/v1/system');
  if (!/^tandem-[0-9a-f]{4}$/.test(system.unit))
    throw new Error(`boot test: the unit is named ${system.unit}, not tandem-XXXX from its MAC`);
  const dataGiB = system.disk.totalBytes / 2 ** 30;
  if (dataGiB < 2)
    throw new Error(`boot test: the data partition has ${dataGiB.toFixed(2)} GiB: not grown`);
  report.consoleInUse = memoryOnUnit(ssh);
  say(`unit ${system.unit}; data partition grown to ${dataGiB.toFixed(1)} GiB`);
  say(`memory with the console in use: ${JSON.stringify(report.consoleInUse)}`);

  await vm.pullThePower();
  await vm.boot();
  await sshHostKey(vm.ports.ssh, BOOT_TIMEOUT_MS);
  // Nobody signed in: the console is not running (systemd only listens), the agent has settled.
  await until(
    'the agent after the power cut',
    BOOT_TIMEOUT_MS,
    async () => JSON.parse(ssh('tandemctl status --json')).running !== null,
  );
  report.afterPowerCutToAgentSeconds = seconds();
  const settled = Number(ssh('ps -o etimes= -C node | sort -n | tail -n 1').trim() || 0);
  if (settled < IDLE_AFTER_S) await sleep((IDLE_AFTER_S - settled) * 1000);
  report.idle = memoryOnUnit(ssh);
  // The reference, measured on the same unit in the same run: a bare Node.js process.
  report.idle.bareNodeMiB =
    Math.round(
      Number(ssh(`node -e "setTimeout(()=>console.log(process.memoryUsage().rss),1000)"`)) /
        104857.6,
    ) / 10;
  report.idle.consoleRunning =
    ssh('systemctl is-active tandem-console.service || true').trim() === 'active';
  say(`memory idle, nobody signed in: ${JSON.stringify(report.idle)}`);
  const addr = ssh('ip -4 -o addr show scope global');
  if (!addr.includes(own) || /dynamic/.test(addr))
    throw new Error(
      `boot test: after the power cut the unit is not on its static address: ${addr}`,
    );
  // Every database the agent keeps passes SQLite's own check after the power cut.
  const checks = ssh(
    `cd /var/lib/tandem && for db in *.db; do printf '%s ' "$db"; node -e "const D=require('/usr/lib/tandem/node_modules/better-sqlite3');console.log(new D(process.argv[1],{readonly:true}).pragma('integrity_check',{simple:true}))" "$db"; done`,
  ).trim();
  if (!checks || checks.split('\n').some((l) => !l.endsWith(' ok')))
    throw new Error(`boot test: integrity_check after the power cut:\n${checks}`);
  say(`after the power cut, integrity_check: ${checks.replace(/\n/g, ', ')}`);

  await consoleUp();
  const again = consoleApi(
    vm.ports.console,
    await signIn(vm.ports.console, '/v1/auth/login', { name: 'admin', password: PW }),
  );
  const services = await again('GET', '/v1/services');
  if (!services.some((s) => s.name === 'console-map'))
    throw new Error('boot test: the service is gone after the power cut');
  await servedThrough();
  if ((await sshHostKey(vm.ports.ssh)) !== hostKey)
    throw new Error('boot test: the SSH host key changed across a reboot');
  say('after the power cut: same configuration, still serving, same SSH host key');
  writeFileSync(join(dirname(image), 'boot.json'), `${JSON.stringify(report, null, 2)}\n`);
} catch (e) {
  console.error(String(e instanceof Error ? e.message : e));
  if (existsSync(vm.serial)) copyFileSync(vm.serial, `${image}.serial-failed.log`);
  console.error(`--- serial log (last 60 lines; all of it in ${image}.serial-failed.log) ---`);
  console.error(
    existsSync(vm.serial)
      ? readFileSync(vm.serial, 'utf8').split('\n').slice(-60).join('\n')
      : '(none)',
  );
  process.exitCode = 1;
} finally {
  await vm.pullThePower();
  rmSync(dir, { recursive: true, force: true });
}
