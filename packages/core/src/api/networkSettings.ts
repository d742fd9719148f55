import { z } from 'zod';
import { sameNetwork } from '../cluster/nodeProposal.js';
import { parseCidr, parseIp } from '../grammar/ip.js';
import { PendingConfirm } from './contract.js';

/**
 * The unit's own address on its first wired interface (the appliance: systemd-networkd). DHCP by
 * default; a static IPv4 address set from the console runs at once and is undone unless the
 * console confirms it still reaches the unit (confirm-or-rollback, like an apply that could cut
 * the operator off). Each unit of a pair has its own: never replicated.
 */
const Ipv4 = z.string().transform((text, ctx) => {
  const ip = parseIp(text.trim());
  if (!ip || ip.family !== 4) {
    ctx.addIssue({ code: 'custom', message: 'must be an IPv4 address like 192.0.2.10' });
    return z.NEVER;
  }
  return ip.canonical;
});

/** A host address with its prefix, e.g. 192.0.2.10/24: not the network's first or last address. */
const HostCidr = z.string().transform((text, ctx) => {
  const c = parseCidr(text.trim());
  if (!c || c.ip.family !== 4 || !text.includes('/') || c.prefix < 8 || c.prefix > 30) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be an address with its prefix, like 192.0.2.10/24 (/8 to /30)',
    });
    return z.NEVER;
  }
  const value = c.ip.bytes.reduce((n, b) => n * 256 + b, 0);
  const host = value % 2 ** (32 - c.prefix);
  if (host === 0 || host === 2 ** (32 - c.prefix) - 1) {
    ctx.addIssue({
      code: 'custom',
      message: "is the network's own or broadcast address, not a host's",
    });
    return z.NEVER;
  }
  return c.canonical;
});

export const NetworkSettings = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('dhcp') }).strict(),
  z
    .object({
      mode: z.literal('static'),
      address: HostCidr,
      gateway: Ipv4.optional(),
      dns: z.array(Ipv4).max(3, { error: 'at most 3 name servers' }).default([]),
    })
    .strict()
    .superRefine((s, ctx) => {
      const [own = '', prefix = '32'] = s.address.split('/');
      if (s.gateway && !sameNetwork(own, Number(prefix), s.gateway))
        ctx.addIssue({
          code: 'custom',
          path: ['gateway'],
          message: `is not in ${s.address}'s network`,
        });
      if (s.gateway === own)
        ctx.addIssue({ code: 'custom', path: ['gateway'], message: "is the unit's own address" });
    }),
]);
export type NetworkSettings = z.output<typeof NetworkSettings>;

/** GET /v1/system/network */
export const NetworkView = z.object({
  /** False where the host's network is not the agent's to set (a development unit). */
  available: z.boolean(),
  interface: z.string().nullable(),
  settings: NetworkSettings,
  /** The interface's IPv4 addresses now, with prefix. */
  addresses: z.array(z.string()),
  /** Set while a change from the console waits for its confirmation. */
  confirm: PendingConfirm.nullable(),
});
export type NetworkView = z.output<typeof NetworkView>;

/** Interface names as the kernel allows them (IFNAMSIZ), nothing a unit file could misread. */
export const INTERFACE_NAME = /^[A-Za-z0-9_.-]{1,15}$/;

/**
 * systemd-networkd's unit for the settings (null for DHCP: the image's own 20-wired.network
 * does DHCP). Its name sorts before 20-wired.network, so for this interface it is the one used.
 */
export function renderNetworkdUnit(iface: string, s: NetworkSettings): string | null {
  if (s.mode === 'dhcp') return null;
  if (!INTERFACE_NAME.test(iface)) throw new Error(`not an interface name: ${iface}`);
  return [
    "# Tandem: the unit's static address, set in the console (docs/install.md). Written by the agent.",
    '[Match]',
    `Name=${iface}`,
    '',
    '[Network]',
    `Address=${s.address}`,
    ...(s.gateway ? [`Gateway=${s.gateway}`] : []),
    ...s.dns.map((d) => `DNS=${d}`),
    '',
  ].join('\n');
}
