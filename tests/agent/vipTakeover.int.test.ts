import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { addNetns, addVeth, ip, removeNetns } from '@tandem/lab/netns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * What a unit does about a VIP's neighbours and sockets around a handover, against a real
 * kernel, in a namespace of its own whose settings start at the kernel's defaults (as on a system
 * the image did not set up): the ARP check said at a handover (adapters/vipShadow.ts) and the
 * TIME_WAIT sockets ended when it takes a VIP (adapters/timeWaitSockets.ts).
 */
const REPO = join(dirname(fileURLToPath(import.meta.url)), '../..');
const ADAPTERS = join(REPO, 'agent/dist/adapters');
const NS = `vipto${process.pid}`;
const VIP = '198.18.7.100';
const run = promisify(execFile);

/** Runs an ES module body with node inside the namespace; its last console.log is the answer. */
const inNs = async (body: string) => {
  const { stdout } = await run('ip', [
    ...['netns', 'exec', NS, 'node', '--input-type=module', '-e'],
    body,
  ]);
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null') as unknown;
};
const unsafe = () =>
  inNs(
    `const { vipShadow } = await import(${JSON.stringify(join(ADAPTERS, 'vipShadow.js'))}); console.log(JSON.stringify(await vipShadow.unsafe()));`,
  );
const sysctl = (name: string, value: number) =>
  ip('netns', 'exec', NS, 'sysctl', '-q', '-w', `net.ipv4.conf.${name}=${value}`);
const timeWaitOn = async (address: string) =>
  (
    await run('ip', ['netns', 'exec', NS, 'ss', '-Htn', 'state', 'time-wait', 'src', address])
  ).stdout
    .trim()
    .split('\n')
    .filter((l) => l !== '').length;

describe('a VIP changing hands, on a real kernel', () => {
  beforeAll(async () => {
    await addNetns(NS);
    await addNetns(`${NS}p`);
    await addVeth({ ns: NS, ifname: 'eth0', peerNs: `${NS}p`, peer: 'eth0' });
    await ip('-n', NS, 'addr', 'add', `${VIP}/32`, 'dev', 'lo');
  });
  afterAll(async () => {
    await removeNetns(NS);
    await removeNetns(`${NS}p`);
  });

  it('names the ARP settings that are short, and where, until all or each interface has them', async () => {
    // The kernel's defaults: both short on the unit's interface (lo does not count).
    expect(await unsafe()).toMatch(/\(short: arp_ignore on eth0, arp_announce on eth0\)$/);
    // One of the two set for all interfaces: the other is still named.
    await sysctl('all.arp_ignore', 1);
    expect(await unsafe()).toMatch(/\(short: arp_announce on eth0\)$/);
    // The kernel takes the larger of all and the interface's: set on the interface is enough.
    await sysctl('eth0.arp_announce', 2);
    expect(await unsafe()).toBeNull();
    await sysctl('eth0.arp_announce', 0);
    await sysctl('all.arp_announce', 2);
    expect(await unsafe()).toBeNull();
  }, 60_000);

  it('ends the TIME_WAIT sockets on the VIP it takes, and only those', async () => {
    // Connections the unit closed first (as HAProxy does with `connection: close`) on the VIP
    // and on loopback's own address: each leaves a TIME_WAIT socket here.
    const left = await inNs(`
      import net from 'node:net';
      const closeFirst = (host) => new Promise((resolve) => {
        const server = net.createServer((s) => s.end()).listen(0, host, () => {
          const c = net.connect(server.address().port, host);
          c.on('end', () => { c.end(); setTimeout(() => { server.close(); resolve(); }, 100); });
          c.resume();
        });
      });
      for (let i = 0; i < 5; i++) { await closeFirst(${JSON.stringify(VIP)}); await closeFirst('127.0.0.1'); }
      console.log('5');
    `);
    expect(left).toBe(5);
    expect(await timeWaitOn(VIP)).toBe(5);
    expect(await timeWaitOn('127.0.0.1')).toBe(5);
    await inNs(
      `const { timeWaitSockets } = await import(${JSON.stringify(join(ADAPTERS, 'timeWaitSockets.js'))}); await timeWaitSockets.drop(${JSON.stringify(VIP)}); console.log('null');`,
    );
    expect(await timeWaitOn(VIP)).toBe(0);
    expect(await timeWaitOn('127.0.0.1')).toBe(5);
  }, 60_000);
});
