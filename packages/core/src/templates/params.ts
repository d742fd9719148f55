import { z } from 'zod';
import { Name } from '../grammar/names.js';
import { IpAddress, Port, ServerAddress } from '../grammar/network.js';
import { UrlPath } from '../grammar/text.js';
import { hint } from '../model/hints.js';

/** Parameter pieces shared by several templates, each with its UI hint. */
export const serviceName = hint(Name, { label: 'Service name', placeholder: 'web' });

export const listenAddress = hint(z.union([z.literal('*'), IpAddress]).default('*'), {
  label: 'Listen address',
  help: 'An address of this unit or a VIP address; * for all',
  advanced: true,
});

export const listenVip = hint(Name.optional(), {
  label: 'Listen on VIP',
  help: 'Name of a cluster VIP; overrides the listen address',
  advanced: true,
});

export const port = (fallback: number, label = 'Port') => hint(Port.default(fallback), { label });

/** Where a service listens, as every template asks it: name, address or VIP (no port). */
export const listenParams = () => ({ name: serviceName, address: listenAddress, vip: listenVip });

/** The same with one listening port (its default per template). */
export const listenOn = (defaultPort: number, label?: string) => ({
  ...listenParams(),
  port: port(defaultPort, label),
});

export const Endpoint = z
  .object({
    address: hint(ServerAddress, { label: 'Address', placeholder: '198.18.0.10' }),
    port: hint(Port, { label: 'Port' }),
    weight: hint(z.number().int().min(0).max(256).default(1), { label: 'Weight' }),
  })
  .strict();
export type Endpoint = z.output<typeof Endpoint>;

export const endpoints = (label: string) =>
  hint(z.array(Endpoint).min(1, { error: 'needs at least one server' }).max(1000), { label });

export const healthPath = hint(UrlPath.default('/'), {
  label: 'Health check path',
  placeholder: '/health',
});

/** Names servers `<prefix>1..N` so a user's list of addresses becomes a readable backend. */
export function toServers(
  list: readonly Endpoint[],
  prefix: string,
  extra: { backup?: boolean } = {},
) {
  return list.map((e, i) => ({
    name: `${prefix}${i + 1}`,
    address: e.address,
    port: e.port,
    weight: e.weight,
    ...(extra.backup ? { backup: true } : {}),
  }));
}

/** A bind on a VIP when one is named, otherwise on the listen address. */
export function bindOn(
  p: { address: string; vip?: string | undefined },
  portNumber: number,
  tls = false,
) {
  return p.vip !== undefined
    ? { vip: p.vip, port: portNumber, tls }
    : { address: p.address, port: portNumber, tls };
}
