import { describe, expect, it } from 'vitest';
import { Rollup } from './rollup.js';
import { chooseTier, DEFAULT_TIERS, parseTiers } from './seriesTiers.js';

describe('parseTiers', () => {
  it('reads the default setting', () => {
    expect(parseTiers('1s:1h,10s:1d,1m:30d')).toEqual(DEFAULT_TIERS);
  });
  it.each([
    ['1s:1h,15s:1d,20s:2d', 'multiple of the previous'],
    ['10s:1h,1s:1d', 'multiple of the previous'],
    ['1s', 'is not step:keep'],
    ['1x:1h', 'is not a duration'],
    ['1m:1m', 'at least two steps'],
    ['1s:10s', 'keep at least a minute'],
  ])('refuses %s', (text, message) => expect(() => parseTiers(text)).toThrow(message));
});

describe('chooseTier', () => {
  const now = 100 * 86_400_000;
  it('reads the finest tier that holds the window', () => {
    expect(chooseTier(DEFAULT_TIERS, { from: now - 600_000, to: now, now })).toBe(0);
    expect(chooseTier(DEFAULT_TIERS, { from: now - 3 * 3_600_000, to: now, now })).toBe(1);
    expect(chooseTier(DEFAULT_TIERS, { from: now - 7 * 86_400_000, to: now, now })).toBe(2);
  });
  it('moves to a coarser tier when the finer one would give too many points', () => {
    expect(chooseTier(DEFAULT_TIERS, { from: now - 3_000_000, to: now, now }, 1_500)).toBe(1);
  });
  it('falls back to the coarsest tier for windows older than every tier', () => {
    expect(chooseTier(DEFAULT_TIERS, { from: 0, to: 1000, now })).toBe(2);
  });
});

describe('Rollup', () => {
  it('emits the mean of each step once the next step starts', () => {
    const r = new Rollup([1_000, 10_000]);
    const out = [];
    for (let s = 0; s < 25; s++) out.push(...r.add('fe', s * 1000, [s, 1], s >= 20 ? 2 : 1));
    expect(out).toEqual([
      { tier: 1, entity: 'fe', at: 0, values: [4.5, 1], state: 1 },
      { tier: 1, entity: 'fe', at: 10_000, values: [14.5, 1], state: 1 },
    ]);
    expect(r.flush(29_999)).toEqual([]);
    expect(r.flush(30_000)).toEqual([
      { tier: 1, entity: 'fe', at: 20_000, values: [22, 1], state: 2 },
    ]);
  });
});
