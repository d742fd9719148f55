import { execFile } from 'node:child_process';

const ip = (args: string[]) =>
  new Promise<void>((resolve) => execFile('ip', args, { timeout: 5_000 }, () => resolve()));

/**
 * A VIP kept local on loopback (`ip addr add VIP/32 dev lo`) after a handover. With
 * `arp_ignore=1` on the unit's interfaces (set by the lab and the image) the unit does not answer
 * ARP for it, so clients move to the peer on its gratuitous ARP while packets that still arrive
 * here are served here. Failures are ignored: the shadow only narrows a window.
 */
export const vipShadow = {
  add: (address: string) =>
    ip(['addr', 'add', `${address}/${address.includes(':') ? 128 : 32}`, 'dev', 'lo']),
  remove: (address: string) =>
    ip(['addr', 'del', `${address}/${address.includes(':') ? 128 : 32}`, 'dev', 'lo']),
};
