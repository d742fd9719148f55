import { z } from 'zod';
import { Cidr } from '../grammar/network.js';
import { ClusterShared } from './cluster.js';
import { GlobalSettings } from './global.js';
import { backendName, frontendName, RESERVED_PREFIX } from './proxyNames.js';
import { Service } from './service.js';

/**
 * The shared configuration of a unit (and of a pair): everything that is versioned as a
 * generation and synced to the peer. Node-specific settings live in NodeSettings.
 */
export const ApplianceConfig = z
  .object({
    schemaVersion: z.literal(1),
    global: GlobalSettings.default(GlobalSettings.parse({})),
    services: z.array(Service).max(1000, { error: 'at most 1000 services' }).default([]),
    cluster: ClusterShared.default({ instances: [] }),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const issue = (path: PropertyKey[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });

    // VIPs: unique names and VRIDs across instances; binds may reference them by name.
    const vipAddress = new Map<string, string>();
    const vrids = new Set<number>();
    const instanceNames = new Set<string>();
    cfg.cluster.instances.forEach((inst, i) => {
      if (instanceNames.has(inst.name))
        issue(['cluster', 'instances', i, 'name'], `duplicate instance ${inst.name}`);
      instanceNames.add(inst.name);
      if (vrids.has(inst.vrid))
        issue(['cluster', 'instances', i, 'vrid'], `VRID ${inst.vrid} is already used`);
      vrids.add(inst.vrid);
      // A VRRP instance speaks one address family: keepalived refuses IPv4 and IPv6 VIPs together.
      const family = (a: string) => (a.includes(':') ? 6 : 4);
      const first = inst.vips[0];
      inst.vips.forEach((vip, j) => {
        if (first && family(vip.address) !== family(first.address))
          issue(
            ['cluster', 'instances', i, 'vips', j, 'address'],
            `must be IPv${family(first.address)} like the instance's first VIP (one family per instance)`,
          );
        const path = ['cluster', 'instances', i, 'vips', j];
        if (vipAddress.has(vip.name)) issue([...path, 'name'], `duplicate VIP name ${vip.name}`);
        const max = vip.address.includes(':') ? 128 : 32;
        if (vip.prefixLength > max)
          issue([...path, 'prefixLength'], `must be at most ${max} for this address`);
        vipAddress.set(vip.name, vip.address);
      });
    });

    // Proxy names must be unique across the whole file, and the tandem- prefix is ours.
    const proxies = new Map<string, string>();
    const claim = (name: string, path: PropertyKey[]) => {
      const other = proxies.get(name);
      if (other !== undefined)
        issue(path, `renders to section name ${name}, already used by ${other}`);
      else proxies.set(name, path.join('.'));
    };
    // Listening endpoints: two owners cannot share an address:port; `*` (all IPv4) overlaps
    // every IPv4 address on the same port.
    const byPort = new Map<number, { address: string; owner: string }[]>();
    const listen = (address: string, port: number, owner: string, path: PropertyKey[]) => {
      const taken = byPort.get(port) ?? [];
      const clash = taken.find(
        (t) => t.owner !== owner && (t.address === address || overlapsAll(t.address, address)),
      );
      if (clash) issue(path, `port ${port} on ${address} is already used by ${clash.owner}`);
      taken.push({ address, owner });
      byPort.set(port, taken);
    };
    if (cfg.global.admin.enabled) {
      listen(cfg.global.admin.address, cfg.global.admin.port, 'the admin endpoint', [
        'global',
        'admin',
        'port',
      ]);
      if (!isLoopbackText(cfg.global.admin.address) && !cfg.global.admin.auth) {
        issue(
          ['global', 'admin', 'auth'],
          'is required when the admin endpoint is not on loopback',
        );
      }
    }

    const serviceNames = new Set<string>();
    cfg.services.forEach((svc, i) => {
      const base = ['services', i];
      if (serviceNames.has(svc.name))
        issue([...base, 'name'], `duplicate service name ${svc.name}`);
      serviceNames.add(svc.name);
      if (svc.name.startsWith(RESERVED_PREFIX))
        issue([...base, 'name'], `must not start with ${RESERVED_PREFIX}`);
      claim(frontendName(svc.name), [...base, 'name']);
      svc.backends.forEach((b, j) =>
        claim(backendName(svc.name, b.name), [...base, 'backends', j, 'name']),
      );
      if (!svc.enabled) return;
      svc.binds.forEach((bind, j) => {
        const path = [...base, 'binds', j];
        let address = bind.address ?? '*';
        if (bind.vip !== undefined) {
          const vip = vipAddress.get(bind.vip);
          if (vip === undefined) {
            issue([...path, 'vip'], `no cluster VIP named ${bind.vip}`);
            return;
          }
          address = vip;
        }
        listen(address, bind.port, `service ${svc.name}`, [...path, 'port']);
      });
    });
  });
export type ApplianceConfig = z.output<typeof ApplianceConfig>;
export type ApplianceConfigInput = z.input<typeof ApplianceConfig>;

function overlapsAll(a: string, b: string): boolean {
  const v4 = (x: string) => x === '*' || !x.includes(':');
  return (a === '*' || b === '*') && v4(a) && v4(b);
}

function isLoopbackText(address: string): boolean {
  const c = Cidr.safeParse(address);
  return c.success && (c.data.startsWith('127.') || c.data === '::1/128');
}
