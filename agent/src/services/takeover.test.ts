import { describe, expect, it } from 'vitest';
import { measureTakeover, takeoverCause } from './takeover.js';

const inst = {
  name: 'edge',
  vrid: 51,
  advertIntervalMs: 100,
  preempt: false,
  vips: [{ name: 'web', address: '198.18.0.100', prefixLength: 24 }],
};

describe('takeover', () => {
  it("reads keepalived's reason for its own instance only, within two seconds", () => {
    const at = 10_000;
    expect(
      takeoverCause(
        [
          { at: 9_990, text: '(edge) Backup received priority 0 advertisement' },
          { at: 9_995, text: '(edge) Receive advertisement timeout' },
        ],
        'edge',
        at,
      ),
    ).toBe('peer-resigned');
    expect(
      takeoverCause([{ at: 9_990, text: '(edge) Receive advertisement timeout' }], 'edge', at),
    ).toBe('peer-silent');
    expect(
      takeoverCause([{ at: 9_990, text: '(other) Receive advertisement timeout' }], 'edge', at),
    ).toBe('unknown');
    expect(
      takeoverCause([{ at: 7_000, text: '(edge) Receive advertisement timeout' }], 'edge', at),
    ).toBe('unknown');
  });

  it('adds the skew after a resignation and the probe time, and warns when nothing answers', async () => {
    let now = 50_000;
    let tries = 0;
    const r = await measureTakeover({
      instance: inst,
      priority: 100,
      at: now,
      from: 'BACKUP',
      initAt: undefined,
      endpoints: [{ address: '198.18.0.100', port: 80 }],
      recentLog: [{ at: now, text: '(edge) Backup received priority 0 advertisement' }],
      accepts: () => {
        now += 20;
        return Promise.resolve(++tries >= 3);
      },
      now: () => now,
      stopped: () => false,
    });
    expect(r.takeover).toEqual({
      at: 50_000,
      cause: 'peer-resigned',
      detectMs: 61,
      serveMs: 60,
      gapMs: 121,
      probe: '198.18.0.100:80',
    });
    expect(r.message).toBe(
      'edge: MASTER (was BACKUP); the peer resigned; took over in 0.12 s (probe 198.18.0.100:80)',
    );
    let t = 0;
    const none = await measureTakeover({
      instance: inst,
      priority: 100,
      at: 0,
      from: 'BACKUP',
      initAt: undefined,
      endpoints: [{ address: '198.18.0.100', port: 80 }],
      recentLog: [],
      accepts: () => Promise.resolve(false),
      now: () => (t += 1_000),
      stopped: () => false,
    });
    expect(none.severity).toBe('warning');
    expect(none.message).toMatch(/no VIP endpoint answered/);
  });
});
