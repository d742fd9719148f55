import { describe, expect, it } from 'vitest';
import { discoveryReadiness, pairDiscovery } from './discoveryPair.js';

const status = (members: [string, number][]) => ({
  service: 'web',
  backend: 'pool',
  name: 'web.test',
  type: 'A' as const,
  slots: 4,
  members: members.map(([address, port], i) => ({
    slot: `w${i + 1}`,
    address,
    port,
    weight: 1,
    up: true,
    since: 0,
  })),
  answer: null,
});

describe('pairDiscovery', () => {
  it('says the same when both units hold the same members, in any slot order', () => {
    const here = discoveryReadiness([
      status([
        ['198.18.0.2', 80],
        ['198.18.0.3', 80],
      ]),
    ]);
    const peer = discoveryReadiness([
      status([
        ['198.18.0.3', 80],
        ['198.18.0.2', 80],
      ]),
    ]);
    expect(pairDiscovery(here, peer)).toEqual([
      {
        backend: 'web.pool',
        name: 'web.test',
        here: ['198.18.0.2:80', '198.18.0.3:80'],
        peer: ['198.18.0.2:80', '198.18.0.3:80'],
        same: true,
      },
    ]);
  });

  it('says it differs when a member is only on one unit, or the port differs', () => {
    const here = discoveryReadiness([
      status([
        ['198.18.0.2', 80],
        ['198.18.0.3', 80],
      ]),
    ]);
    expect(pairDiscovery(here, discoveryReadiness([status([['198.18.0.2', 80]])]))[0]?.same).toBe(
      false,
    );
    expect(
      pairDiscovery(
        here,
        discoveryReadiness([
          status([
            ['198.18.0.2', 80],
            ['198.18.0.3', 81],
          ]),
        ]),
      )[0]?.same,
    ).toBe(false);
  });

  it('shows a backend discovered on one unit only, with null on the other side', () => {
    const here = discoveryReadiness([status([['198.18.0.2', 80]])]);
    expect(pairDiscovery(here, [])).toEqual([
      { backend: 'web.pool', name: 'web.test', here: ['198.18.0.2:80'], peer: null, same: false },
    ]);
    expect(pairDiscovery([], here)[0]).toMatchObject({ here: null, same: false });
  });

  it('two units that both found no members agree', () => {
    const none = discoveryReadiness([status([])]);
    expect(pairDiscovery(none, none)[0]?.same).toBe(true);
  });
});
