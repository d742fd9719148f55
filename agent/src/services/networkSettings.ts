import {
  NetworkSettings,
  parseRequest,
  renderNetworkdUnit,
  TandemError,
  type NetworkView,
  type PendingConfirm,
} from '@tandem/core';
import type { NetworkHost } from '../adapters/networkd.js';
import type { ConfirmWindow } from './confirmWindow.js';

const DHCP: NetworkSettings = { mode: 'dhcp' };
const describe = (s: NetworkSettings) =>
  s.mode === 'dhcp' ? 'DHCP' : `${s.address}${s.gateway ? ` via ${s.gateway}` : ''}`;

/**
 * The unit's own address (docs/install.md, "Network"). From the console a change runs at once
 * and is undone unless confirmed within the window: a wrong address would otherwise leave the
 * unit unreachable with nobody at its screen. Only a confirmed change is kept for the next boot,
 * so a power cut during the window also brings the old address back. From the unit's own shell
 * (tandemctl) nothing can be cut off, and the change is kept at once.
 */
export function createNetworkSettings(d: { host: NetworkHost | null; window: ConfirmWindow }) {
  let pending: NetworkSettings | null = null;
  const confirmed = async () => (await d.host?.saved()) ?? DHCP;
  const iface = () => {
    const host = d.host;
    if (!host)
      throw new TandemError('conflict', "this unit's network is set by its host, not by Tandem");
    const name = host.interface();
    if (!name) throw new TandemError('conflict', 'this unit has no wired network interface');
    return { host, name };
  };

  const view = async (): Promise<NetworkView> => {
    const name = d.host?.interface() ?? null;
    return {
      available: d.host !== null,
      interface: name,
      settings: pending ?? (await confirmed()),
      addresses: name && d.host ? d.host.addresses(name) : [],
      confirm: d.window.pending().find((p) => p.key === 'network') ?? null,
    };
  };

  return {
    view,
    async set(body: unknown, o: { remote: boolean }): Promise<NetworkView> {
      const { host, name } = iface();
      const next = parseRequest(NetworkSettings, body);
      const unit = renderNetworkdUnit(name, next);
      const before = await confirmed();
      await host.activate(name, unit);
      if (!o.remote) {
        await host.persist(next, unit);
        return view();
      }
      pending = next;
      d.window.arm('network', [`the unit's address becomes ${describe(next)}`], async () => {
        pending = null;
        await host.activate(name, renderNetworkdUnit(name, before));
      });
      return view();
    },
    async confirm(author: string): Promise<PendingConfirm> {
      const { host, name } = iface();
      const done = d.window.confirm('network', author);
      if (pending) await host.persist(pending, renderNetworkdUnit(name, pending));
      pending = null;
      return done;
    },
  };
}
export type NetworkSettingsService = ReturnType<typeof createNetworkSettings>;
