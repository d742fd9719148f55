import { describe, expect, it, vi } from 'vitest';
import { createFakeNetworkHost } from '../adapters/networkd.js';
import { createConfirmWindow } from './confirmWindow.js';
import { createNetworkSettings } from './networkSettings.js';

const STATIC = { mode: 'static', address: '10.0.2.15/24', gateway: '10.0.2.2', dns: ['10.0.2.3'] };

function setup(windowMs = 60_000) {
  const net = createFakeNetworkHost();
  const events: string[] = [];
  const window = createConfirmWindow({
    windowMs,
    now: Date.now,
    events: {
      add: (e) => {
        events.push(e.message);
        return { ...e, id: events.length };
      },
    },
    log: () => undefined,
  });
  return { net, events, window, network: createNetworkSettings({ host: net.host, window }) };
}

describe('the unit address', () => {
  it('from the console: runs at once, is kept only once confirmed', async () => {
    const { net, network } = setup();
    const v = await network.set(STATIC, { remote: true });
    expect(v.settings).toMatchObject({ mode: 'static', address: '10.0.2.15/24' });
    expect(v.confirm?.reasons).toEqual(["the unit's address becomes 10.0.2.15/24 via 10.0.2.2"]);
    expect(net.active).toHaveLength(1);
    expect(net.active[0]).toContain('Address=10.0.2.15/24');
    expect(net.kept()).toBeNull();
    await network.confirm('ann');
    expect(net.kept()?.settings).toMatchObject({ address: '10.0.2.15/24' });
    expect((await network.view()).confirm).toBeNull();
  });

  it('not confirmed in time: back to what was confirmed before, nothing kept', async () => {
    vi.useFakeTimers();
    try {
      const { net, network, events } = setup(1000);
      await network.set(STATIC, { remote: true });
      await vi.advanceTimersByTimeAsync(1500);
      expect(net.active).toEqual([expect.stringContaining('Address=10.0.2.15/24'), null]);
      expect(net.kept()).toBeNull();
      expect((await network.view()).settings).toEqual({ mode: 'dhcp' });
      expect(events.at(-1)).toMatch(/rolled back/);
      await expect(network.confirm('ann')).rejects.toMatchObject({ code: 'not_found' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('from the unit itself: kept at once; bad input names the field; no host, no change', async () => {
    const { net, network, window } = setup();
    await network.set({ mode: 'static', address: '192.0.2.10/24' }, { remote: false });
    expect(net.kept()?.unit).toContain('Address=192.0.2.10/24');
    await expect(
      network.set(
        { mode: 'static', address: '192.0.2.10/24', gateway: '10.0.0.1' },
        { remote: true },
      ),
    ).rejects.toMatchObject({ code: 'bad_request', fields: [{ path: 'gateway' }] });
    const none = createNetworkSettings({ host: null, window });
    expect((await none.view()).available).toBe(false);
    await expect(none.set(STATIC, { remote: false })).rejects.toMatchObject({ code: 'conflict' });
  });
});
