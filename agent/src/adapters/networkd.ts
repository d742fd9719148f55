import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { NetworkSettings } from '@tandem/core';
import { createFileWriter, writeFileAtomic } from './atomicFiles.js';

const run = promisify(execFile);

/** The unit's network as the agent sets it (the appliance: systemd-networkd). */
export interface NetworkHost {
  /** The first wired interface, as the image's DHCP unit and the unit's name take it. */
  interface(): string | null;
  /** Its IPv4 addresses now, with their prefix. */
  addresses(iface: string): string[];
  /** networkd uses this unit (null: none of ours, the image's DHCP) from now on. */
  activate(iface: string, unit: string | null): Promise<void>;
  /** Kept for the next boots (tandem-network.service puts it in place before networkd starts). */
  persist(settings: NetworkSettings, unit: string | null): Promise<void>;
  /** What was kept, null if nothing was ever set. */
  saved(): Promise<NetworkSettings | null>;
}

const UNIT = '10-tandem.network';

export function createNetworkd(o: { runtimeDir: string; stateDir: string }): NetworkHost {
  const files = createFileWriter();
  const place = async (dir: string, unit: string | null) => {
    if (unit === null) await rm(join(dir, UNIT), { force: true });
    else await writeFileAtomic(join(dir, UNIT), unit, 0o644);
  };
  return {
    interface() {
      // The first physical, non-wireless Ethernet interface by name: the one the unit is named after.
      const sys = (n: string, f: string) => existsSync(join('/sys/class/net', n, f));
      const wired = readdirSync('/sys/class/net').filter(
        (n) =>
          sys(n, 'device') &&
          !sys(n, 'wireless') &&
          !sys(n, 'phy80211') &&
          readFileSync(join('/sys/class/net', n, 'type'), 'utf8').trim() === '1',
      );
      return wired.sort()[0] ?? null;
    },
    addresses(iface) {
      return (networkInterfaces()[iface] ?? [])
        .filter((a) => a.family === 'IPv4' && a.cidr)
        .map((a) => String(a.cidr));
    },
    async activate(iface, unit) {
      await place(o.runtimeDir, unit);
      // Reload reads the units again; reconfigure drops the old address and takes the new one.
      await run('networkctl', ['reload']);
      await run('networkctl', ['reconfigure', iface]);
    },
    async persist(settings, unit) {
      await place(o.stateDir, unit);
      await files.write(join(o.stateDir, 'settings.json'), `${JSON.stringify(settings)}\n`, 0o644);
    },
    async saved() {
      const text = await files.read(join(o.stateDir, 'settings.json'));
      if (text === null) return null;
      const r = NetworkSettings.safeParse(JSON.parse(text));
      return r.success ? r.data : null;
    },
  };
}

/** A network in memory (unit tests): records what networkd would have been told. */
export function createFakeNetworkHost(iface: string | null = 'enp0s2') {
  const active: (string | null)[] = [];
  let kept: { settings: NetworkSettings; unit: string | null } | null = null;
  const host: NetworkHost = {
    interface: () => iface,
    addresses: () => ['10.0.2.15/24'],
    activate: (_iface, unit) => {
      active.push(unit);
      return Promise.resolve();
    },
    persist: (settings, unit) => {
      kept = { settings, unit };
      return Promise.resolve();
    },
    saved: () => Promise.resolve(kept?.settings ?? null),
  };
  return { host, active, kept: () => kept };
}
