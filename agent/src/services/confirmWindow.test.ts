import type { EventInput } from '@tandem/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConfirmWindow } from './confirmWindow.js';

function window() {
  const events: EventInput[] = [];
  const w = createConfirmWindow({
    windowMs: 60_000,
    now: () => Date.now(),
    events: { add: (e) => (events.push(e), { ...e, id: events.length }) },
    log: () => undefined,
  });
  return { w, events };
}

describe('confirm window', () => {
  afterEach(() => vi.useRealTimers());

  it('reverts a change nobody confirms, once, after the window', async () => {
    vi.useFakeTimers();
    const { w, events } = window();
    const revert = vi.fn(() => Promise.resolve());
    w.arm('apply', ['VIP 198.18.0.100 goes away'], revert);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(revert).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(revert).toHaveBeenCalledTimes(1);
    expect(events.map((e) => e.message)).toEqual([
      'waiting 60 s for the console to confirm: VIP 198.18.0.100 goes away',
      'not confirmed within 60 s (VIP 198.18.0.100 goes away): rolling back',
      'rolled back: VIP 198.18.0.100 goes away',
    ]);
    expect(() => w.confirm('apply', 'ann')).toThrow('nothing waits');
  });

  it('keeps a confirmed change, and the first way back when a second risky change follows', async () => {
    vi.useFakeTimers();
    const { w } = window();
    const first = vi.fn(() => Promise.resolve());
    const second = vi.fn(() => Promise.resolve());
    w.arm('apply', ['a'], first);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(w.arm('apply', ['b'], second).reasons).toEqual(['a', 'b']);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(first).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).not.toHaveBeenCalled();
    w.arm('node:lab-b', ['c'], first);
    expect(w.confirm('node:lab-b', 'ann').reasons).toEqual(['c']);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(first).toHaveBeenCalledTimes(1);
    expect(w.pending()).toEqual([]);
  });

  it('says so when the rollback itself fails', async () => {
    vi.useFakeTimers();
    const { w, events } = window();
    w.arm('apply', ['a'], () => Promise.reject(new Error('haproxy -c says no')));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(events.at(-1)).toMatchObject({
      severity: 'error',
      message: 'the rollback failed: haproxy -c says no',
    });
  });
});
