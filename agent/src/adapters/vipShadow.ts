import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

const ip = (args: string[]) =>
  new Promise<void>((resolve) => execFile('ip', args, { timeout: 5_000 }, () => resolve()));

// What the shadow needs of each ARP setting; the kernel uses the larger of all's and the
// interface's value.
const NEEDED = { arp_ignore: 1, arp_announce: 2 } as const;

const setting = (iface: string, name: string) =>
  readFile(`/proc/sys/net/ipv4/conf/${iface}/${name}`, 'utf8').then(
    (t) => Number(t.trim()),
    () => null,
  );

/**
 * Which interfaces would still announce a VIP on loopback (null: none): said at a handover, as
 * the image sets both and a system of one's own may not.
 */
async function unsafe(): Promise<string | null> {
  const ifaces = (await readdir('/proc/sys/net/ipv4/conf').catch(() => [] as string[])).filter(
    (i) => !['all', 'default', 'lo'].includes(i),
  );
  const short: string[] = [];
  for (const [name, needed] of Object.entries(NEEDED)) {
    const all = (await setting('all', name)) ?? 0;
    if (all >= needed) continue;
    for (const i of ifaces)
      if (((await setting(i, name)) ?? 0) < needed) short.push(`${name} on ${i}`);
  }
  return short.length
    ? `net.ipv4.conf.all.arp_ignore should be 1 and arp_announce 2 (short: ${short.join(', ')})`
    : null;
}

/**
 * A VIP kept local on loopback (`ip addr add VIP/32 dev lo`) after a handover. With
 * `arp_ignore=1` on the unit's interfaces the unit does not answer ARP for it, and with
 * `arp_announce=2` its own ARP requests do not name it as their sender (both set by the lab and
 * the image), so clients move to the peer on its gratuitous ARP while packets that still arrive
 * here are served here. Failures are ignored: the shadow only narrows a window.
 */
export const vipShadow = {
  unsafe,
  add: (address: string) =>
    ip(['addr', 'add', `${address}/${address.includes(':') ? 128 : 32}`, 'dev', 'lo']),
  remove: (address: string) =>
    ip(['addr', 'del', `${address}/${address.includes(':') ? 128 : 32}`, 'dev', 'lo']),
};
