import { networkInterfaces } from 'node:os';
import type { HostInterface } from '@tandem/core';

/**
 * The unit's interfaces and their addresses as the kernel has them now (what the cluster
 * settings may choose from). VIPs this unit holds appear too: they are addresses like others.
 */
export function hostInterfaces(): HostInterface[] {
  return Object.entries(networkInterfaces()).map(([name, list]) => ({
    name,
    internal: (list ?? []).every((a) => a.internal),
    addresses: (list ?? [])
      .filter((a) => !(a.family === 'IPv6' && a.address.startsWith('fe80:')))
      .map((a) => ({
        address: a.address,
        prefixLength: Number(a.cidr?.split('/')[1] ?? (a.family === 'IPv4' ? 32 : 128)),
      })),
  }));
}
