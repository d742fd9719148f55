#!/usr/bin/env node
/**
 * The mission end to end (npm run image:test -- --target T --pair): two units flashed from the
 * same image, a cable between them (a QEMU socket network), each set up with its own token,
 * paired with the pairing flow (a code shown on one, typed on the other), a VIP on their shared
 * network, and the power pulled on the one that holds it: the other takes the VIP and serves
 * the configuration it received from the first. Each unit keeps its user-mode NIC for the test
 * to reach its console and SSH through 127.0.0.1.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVm, freePort } from './qemuVm.mjs';
import {
  addSshKey,
  consoleUp,
  firstAdmin,
  mapConsole,
  setupToken,
  sshTo,
  until,
} from './unitProbe.mjs';

const [, arch, image, format, firmwareCode, firmwareVars] = process.argv.slice(2);
const PW = 'a long enough boot-test passphrase';
const BOOT_TIMEOUT_MS = 900_000;
const NET = { a: '198.18.0.1', b: '198.18.0.2', vip: '198.18.0.10' };
const say = (line) => console.log(`pair test: ${line}`);

const dir = mkdtempSync(join(tmpdir(), 'tandem-pair-'));
const key = join(dir, 'id_ed25519');
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'pair-test', '-f', key]);
const cable = await freePort();
const units = {};
async function unit(name, n, link, tryKvm) {
  const d = join(dir, name);
  execFileSync('mkdir', ['-p', d]);
  const vm = await createVm({
    arch,
    image,
    format,
    firmwareCode,
    firmwareVars,
    dir: d,
    mac: `52:54:00:00:0a:0${n}`,
    link: { ...link, mac: `52:54:00:00:0b:0${n}` },
    tryKvm,
  });
  units[name] = { vm, ssh: sshTo(vm.ports.ssh, key) };
  return vm;
}

/** Sets a unit up as its administrator would: token, admin, SSH key, the cable's address. */
async function setUp(name) {
  const { vm, ssh } = units[name];
  await consoleUp(vm.ports.console, BOOT_TIMEOUT_MS, `${name}'s console`);
  const api = await firstAdmin(vm.ports.console, setupToken(readFileSync(vm.serial, 'utf8')), PW);
  await addSshKey(api, PW, `${key}.pub`);
  // The cable's NIC (found by the MAC the test gave it) gets the pair's address.
  await until(`SSH to ${name}`, 120_000, async () => ssh('true') === '');
  const nic = ssh(`ip -o link | awk -F': ' '/52:54:00:00:0b:0/ {print $2}'`).trim();
  ssh(
    `printf '[Match]\\nName=${nic}\\n[Network]\\nAddress=${NET[name]}/24\\n' > /run/systemd/network/05-pair-test.network && networkctl reload && networkctl reconfigure ${nic}`,
  );
  units[name].api = api;
  units[name].nic = nic;
  return api;
}

const holds = (name) => {
  try {
    return units[name].ssh('ip -o -4 addr show').includes(`${NET.vip}/`);
  } catch {
    return false;
  }
};

try {
  // a first, with its end of the cable listening, then b: b's QEMU connects once, at start,
  // and a connection refused leaves its cable dead without an error.
  const a0 = await unit('a', 1, { listen: cable }, true);
  await a0.boot();
  await until(
    'the cable listening on a',
    30_000,
    async () =>
      execFileSync('ss', ['-Hltn', `sport = :${cable}`])
        .toString()
        .trim() !== '',
  );
  await (await unit('b', 2, { connect: cable }, a0.kvm)).boot();
  const [a, b] = await Promise.all([setUp('a'), setUp('b')]);
  await until('a reaching b over the cable', 60_000, async () => {
    units.a.ssh(`ping -c 1 -W 2 ${NET.b}`);
    return true;
  });
  say('both units set up, each with its own token; the cable is up');
  // A service on a, before pairing: b receives it with a's whole configuration.
  await mapConsole(a, 'pair test');

  const { code } = await b('POST', '/v1/cluster/pairing-code', {});
  const pairedAt = Date.now();
  await a('POST', '/v1/cluster/pair', { address: NET.b, code });
  await until(
    'b running what a runs',
    300_000,
    async () => (await a('GET', '/v1/cluster')).pairing?.runsSame === true,
  );
  say(
    `paired with the code shown on b; b runs a's configuration after ${((Date.now() - pairedAt) / 1000).toFixed(1)} s`,
  );

  // A VIP on the cable's network, then each unit's failover settings as the console proposes.
  const current = await a('GET', '/v1/config');
  await a('PUT', '/v1/config', {
    base: current.generation,
    message: 'the pair VIP',
    config: {
      ...current.config,
      cluster: {
        instances: [
          {
            name: 'front',
            vrid: 51,
            advertIntervalMs: 200,
            vips: [{ name: 'vip', address: NET.vip, prefixLength: 24 }],
          },
        ],
      },
    },
  });
  const applied = await a('POST', '/v1/apply', {});
  if (applied.confirm) await a('POST', '/v1/apply/confirm', {});
  const nodes = await a('GET', '/v1/cluster/nodes');
  for (const v of [nodes.here, nodes.peer]) {
    if (!v?.proposal)
      throw new Error(
        `pair test: no failover settings proposed for ${v?.unit ?? 'the peer'}: ${JSON.stringify(nodes)}`,
      );
    const r = await a('PUT', `/v1/cluster/nodes/${v.unit}`, { node: v.proposal });
    if (r.confirm) await a('POST', `/v1/cluster/nodes/${encodeURIComponent(v.unit)}/confirm`, {});
  }
  await until('a holding the VIP, b not', 300_000, async () => holds('a') && !holds('b'));
  say(`failover set from a's console; a holds ${NET.vip}`);
  const viaVip = `curl -sk -o /dev/null -w '%{http_code}' https://${NET.vip}:8443/api/v1/auth/state`;
  if (units.b.ssh(viaVip).trim() !== '200')
    throw new Error('pair test: the VIP does not serve from b');

  // a's power goes: b takes the VIP and serves a's service through it.
  await units.a.vm.pullThePower();
  const cut = Date.now();
  await until('b holding the VIP', 120_000, async () => holds('b'));
  const takeover = ((Date.now() - cut) / 1000).toFixed(1);
  await until('the VIP serving on b', 60_000, async () => units.b.ssh(viaVip).trim() === '200');
  say(
    `a's power pulled: b holds the VIP within ${takeover} s (as seen over SSH, polled each second) and serves a's service through it`,
  );
} catch (e) {
  console.error(String(e instanceof Error ? e.message : e));
  for (const name of ['a', 'b']) {
    try {
      console.error(
        `--- ${name}'s addresses ---\n${units[name].ssh('ip -o -4 addr show; ip -o link')}`,
      );
    } catch {
      // not reachable over SSH
    }
    console.error(`--- ${name}'s serial log (last 30 lines) ---`);
    try {
      console.error(readFileSync(units[name].vm.serial, 'utf8').split('\n').slice(-30).join('\n'));
    } catch {
      console.error('(none)');
    }
  }
  process.exitCode = 1;
} finally {
  await Promise.all(Object.values(units).map((u) => u.vm.pullThePower()));
  rmSync(dir, { recursive: true, force: true });
}
