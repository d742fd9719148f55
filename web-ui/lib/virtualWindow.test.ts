import { describe, expect, it } from 'vitest';
import { virtualWindow } from './virtualWindow';

describe('virtual window', () => {
  it('renders the rows in view plus the margin, padded to the full height', () => {
    const w = virtualWindow({ count: 10_000, rowHeight: 32, scrollTop: 32 * 500, viewport: 640 });
    expect(w).toEqual({ start: 490, end: 531, padTop: 490 * 32, padBottom: (10_000 - 531) * 32 });
    expect(w.padTop + (w.end - w.start) * 32 + w.padBottom).toBe(10_000 * 32);
  });

  it('clamps at the top, at the bottom, and for short lists', () => {
    expect(
      virtualWindow({ count: 10_000, rowHeight: 32, scrollTop: -50, viewport: 640 }),
    ).toMatchObject({ start: 0, end: 31, padTop: 0 });
    const bottom = virtualWindow({ count: 100, rowHeight: 32, scrollTop: 32 * 100, viewport: 640 });
    expect(bottom).toMatchObject({ end: 100, padBottom: 0 });
    expect(virtualWindow({ count: 3, rowHeight: 32, scrollTop: 0, viewport: 640 })).toEqual({
      start: 0,
      end: 3,
      padTop: 0,
      padBottom: 0,
    });
    expect(virtualWindow({ count: 0, rowHeight: 32, scrollTop: 0, viewport: 640 })).toEqual({
      start: 0,
      end: 0,
      padTop: 0,
      padBottom: 0,
    });
  });
});
