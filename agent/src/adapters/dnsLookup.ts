import { Resolver } from 'node:dns/promises';
import type { DnsDiscovery } from '@tandem/core';

/** What a name answered: each address (SRV: its target's name, port and weight). */
export interface DnsAnswer {
  address: string;
  port?: number;
  weight?: number;
}

/** Asks the name servers (none: the system's) for a discovered name's records. */
export type DnsLookup = (
  dns: DnsDiscovery,
  nameservers: readonly { address: string; port: number }[],
) => Promise<DnsAnswer[]>;

/**
 * Node's resolver (c-ares), asking what HAProxy asks, so the unit can say what the name answers
 * next to what HAProxy made of it: 2 s a try, two tries.
 */
export const dnsLookup: DnsLookup = async (dns, nameservers) => {
  const r = new Resolver({ timeout: 2_000, tries: 2 });
  if (nameservers.length > 0)
    r.setServers(
      nameservers.map((n) =>
        n.address.includes(':') ? `[${n.address}]:${n.port}` : `${n.address}:${n.port}`,
      ),
    );
  if (dns.type === 'SRV')
    return (await r.resolveSrv(dns.name)).map((s) => ({
      address: s.name,
      port: s.port,
      weight: s.weight,
    }));
  const addresses = dns.type === 'AAAA' ? await r.resolve6(dns.name) : await r.resolve4(dns.name);
  return addresses.map((address) => ({ address }));
};
