#!/usr/bin/env node
/**
 * The image's boot test (npm run image:test -- --target amd64-vm): boots the built image in QEMU
 * (KVM when it works, TCG otherwise) on an overlay, so the image stays as built; user-mode
 * networking forwards only to 127.0.0.1. It waits for the console over HTTPS, completes setup with
 * the token read from the serial log, creates a service (a TCP port map to the console inside the
 * VM) and checks a request is served through it; then pulls the power (QEMU killed, no shutdown),
 * boots again and checks the same configuration still serves (the agent opens its stores only if
 * they pass integrity_check). Prints boot-to-console times.
 */
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [imagePath, firmwareCode, firmwareVars] = process.argv.slice(2);
const PW = 'a long enough boot-test passphrase';
const BOOT_TIMEOUT_MS = Number(process.env.TANDEM_BOOT_TIMEOUT_MS ?? 300_000);

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** One HTTPS request to the VM's forwarded port (the unit's certificate is its own, self-signed). */
function https(port, method, path, { body, cookie } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        rejectUnauthorized: false,
        timeout: 10_000,
        headers: {
          origin: `https://127.0.0.1:${port}`,
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...(cookie ? { cookie } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode, text, headers: res.headers }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, timeoutMs, check) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      const v = await check();
      if (v) return v;
    } catch {
      // not yet
    }
    await sleep(1000);
  }
  throw new Error(`boot test: ${what} not within ${timeoutMs / 1000} s`);
}

const dir = mkdtempSync(join(tmpdir(), 'tandem-boot-'));
const overlay = join(dir, 'disk.qcow2');
// A disk 2 GiB bigger than the image, as on a real medium: the data partition grows into it.
execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'qcow2', '-b', imagePath, overlay]);
execFileSync('qemu-img', ['resize', '-q', overlay, '+2G']);
const vars = join(dir, 'vars.fd');
copyFileSync(firmwareVars, vars);
const consolePort = await freePort();
const servicePort = await freePort();
const sshPort = await freePort();
const serial = join(dir, 'serial.log');
// KVM when it works: nested KVM here refuses the host CPU model's MSRs, so the baseline model.
let kvm = existsSync('/dev/kvm');

function start() {
  rmSync(serial, { force: true });
  const qemu = spawn(
    'qemu-system-x86_64',
    [
      '-machine',
      `q35,accel=${kvm ? 'kvm:tcg' : 'tcg'}`,
      '-cpu',
      kvm ? 'host' : 'max',
      '-m',
      '1536',
      '-smp',
      '2',
      '-drive',
      `if=pflash,format=raw,unit=0,readonly=on,file=${firmwareCode}`,
      '-drive',
      `if=pflash,format=raw,unit=1,file=${vars}`,
      '-drive',
      `file=${overlay},if=virtio,format=qcow2`,
      '-netdev',
      `user,id=n0,hostfwd=tcp:127.0.0.1:${consolePort}-:443,hostfwd=tcp:127.0.0.1:${servicePort}-:8443,hostfwd=tcp:127.0.0.1:${sshPort}-:22`,
      '-device',
      'virtio-net-pci,netdev=n0',
      '-serial',
      `file:${serial}`,
      '-display',
      'none',
      '-no-reboot',
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  return { qemu, at: Date.now() };
}

/** Boots, falling back to TCG when QEMU cannot run with KVM (it exits at once). */
async function boot() {
  const vm = start();
  const early = await Promise.race([
    new Promise((r) => vm.qemu.once('exit', () => r(true))),
    sleep(5_000).then(() => false),
  ]);
  if (!early) return vm;
  if (!kvm) throw new Error('boot test: QEMU exited at once');
  kvm = false;
  console.error('boot test: KVM does not work here, booting with TCG');
  return start();
}

const consoleUp = () =>
  until(
    'the console over HTTPS',
    BOOT_TIMEOUT_MS,
    async () => (await https(consolePort, 'GET', '/api/v1/auth/state')).status === 200,
  );
const signIn = async (path, body) => {
  const r = await https(consolePort, 'POST', path, { body });
  if (r.status !== 200) throw new Error(`boot test: ${path} answered ${r.status}: ${r.text}`);
  return String(r.headers['set-cookie']?.[0] ?? '').split(';')[0];
};
/** The SSH host key the unit shows (made at its first boot, kept on the data partition). */
const sshHostKey = () =>
  until('the SSH server', 60_000, async () =>
    execFileSync('ssh-keyscan', ['-T', '5', '-t', 'ed25519', '-p', String(sshPort), '127.0.0.1'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .split(' ')
      .at(-1)
      ?.trim(),
  );
const servedThrough = () =>
  until(
    'a request through the new service',
    60_000,
    async () => (await https(servicePort, 'GET', '/api/v1/auth/state')).status === 200,
  );

let vm = await boot();
const report = [];
try {
  await consoleUp();
  report.push(
    `boot to console: ${((Date.now() - vm.at) / 1000).toFixed(1)} s (${kvm ? 'KVM' : 'TCG'})`,
  );
  const log = readFileSync(serial, 'utf8');
  // A unit that fails at boot degrades the appliance (and hides real failures): none may.
  const plain = log.replace(/\x1b\[[0-9;]*m/g, '');
  const failed = [...plain.matchAll(/FAILED\] Failed to start (\S+)/g)].map((m) => m[1]);
  if (failed.length > 0)
    throw new Error(`boot test: units failed at boot: ${[...new Set(failed)].join(', ')}`);
  // Whole tokens only (the serial console interleaves lines), and the last one printed: each
  // start of the agent makes a new token and voids the one before.
  const token = [...log.matchAll(/setup token ([A-Za-z0-9_-]{24})(?![A-Za-z0-9_-])/g)].at(-1)?.[1];
  if (!token) throw new Error('boot test: no setup token on the serial console');
  const cookie = await signIn('/api/v1/auth/setup', { token, name: 'admin', password: PW });
  const latest = JSON.parse(
    (await https(consolePort, 'GET', '/api/v1/generations?limit=1', { cookie })).text,
  )[0];
  const add = await https(consolePort, 'POST', '/api/v1/services', {
    cookie,
    body: {
      base: latest.number,
      template: 'tcp-port-map',
      params: { name: 'console-map', port: 8443, servers: [{ address: '127.0.0.1', port: 443 }] },
      message: 'boot test',
    },
  });
  if (add.status !== 200)
    throw new Error(`boot test: adding a service answered ${add.status}: ${add.text}`);
  const applied = await https(consolePort, 'POST', '/api/v1/apply', { cookie, body: {} });
  if (applied.status !== 200)
    throw new Error(`boot test: apply answered ${applied.status}: ${applied.text}`);
  await servedThrough();
  report.push('a service made through the console serves');
  const hostKey = await sshHostKey();
  // First boot grew the data partition to the disk, and named the unit from its MAC.
  const system = JSON.parse((await https(consolePort, 'GET', '/api/v1/system', { cookie })).text);
  if (!/^tandem-[0-9a-f]{4}$/.test(system.unit))
    throw new Error(`boot test: the unit is named ${system.unit}, not tandem-XXXX from its MAC`);
  const dataGiB = system.disk.totalBytes / 2 ** 30;
  if (dataGiB < 2)
    throw new Error(`boot test: the data partition has ${dataGiB.toFixed(2)} GiB: not grown`);
  report.push(
    `unit ${system.unit}; data partition grown to ${dataGiB.toFixed(1)} GiB; agent RSS ${(system.memory.agentRssBytes / 2 ** 20).toFixed(0)} MiB`,
  );

  // The power goes: no shutdown, no sync.
  vm.qemu.kill('SIGKILL');
  await new Promise((r) => vm.qemu.once('exit', r));
  vm = await boot();
  await consoleUp();
  report.push(`after a power cut, boot to console: ${((Date.now() - vm.at) / 1000).toFixed(1)} s`);
  const again = await signIn('/api/v1/auth/login', { name: 'admin', password: PW });
  const services = JSON.parse(
    (await https(consolePort, 'GET', '/api/v1/services', { cookie: again })).text,
  );
  if (!services.some((s) => s.name === 'console-map'))
    throw new Error('boot test: the service is gone after the power cut');
  await servedThrough();
  if ((await sshHostKey()) !== hostKey)
    throw new Error('boot test: the SSH host key changed across a reboot');
  report.push('after the power cut: same configuration, still serving, same SSH host key');
  console.log(report.map((l) => `boot test: ${l}`).join('\n'));
} catch (e) {
  console.error(String(e instanceof Error ? e.message : e));
  if (existsSync(serial)) copyFileSync(serial, `${imagePath}.serial-failed.log`);
  console.error(`--- serial log (last 60 lines; all of it in ${imagePath}.serial-failed.log) ---`);
  console.error(
    existsSync(serial) ? readFileSync(serial, 'utf8').split('\n').slice(-60).join('\n') : '(none)',
  );
  process.exitCode = 1;
} finally {
  vm.qemu.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
