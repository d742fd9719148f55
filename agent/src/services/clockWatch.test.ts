import { describe, expect, it } from 'vitest';
import type { EventInput } from '@tandem/core';
import { clockStep, createClockWatch, stepText } from './clockWatch.js';

describe('clockWatch', () => {
  it('tells a step of the wall clock from time passing', () => {
    const at = { wall: 1_000_000, mono: 50 };
    // Ten seconds passed on both clocks: no step, however long the pause.
    expect(clockStep(at, { wall: 1_010_000, mono: 10_050 }, 5_000)).toBeNull();
    // NTP's slew: a few milliseconds apart.
    expect(clockStep(at, { wall: 1_010_003, mono: 10_050 }, 5_000)).toBeNull();
    expect(clockStep(at, { wall: 1_000_000 + 86_400_000 + 2_000, mono: 2_050 }, 5_000)).toBe(
      86_400_000,
    );
    expect(clockStep(at, { wall: 1_000_000 - 7_200_000 + 2_000, mono: 2_050 }, 5_000)).toBe(
      -7_200_000,
    );
  });

  it('says a step in words', () => {
    expect(stepText(86_400_000 + 2 * 3_600_000)).toBe('1 d 2 h');
    expect(stepText(-(3 * 3_600_000 + 5 * 60_000))).toBe('3 h 5 min');
    expect(stepText(42_000)).toBe('42 s');
    expect(stepText(61_000)).toBe('1 min 1 s');
  });

  it('puts each step on the timeline once, forward and back', () => {
    let r = { wall: 5_000_000, mono: 0 };
    const added: EventInput[] = [];
    const w = createClockWatch({ add: (e) => added.push(e), log: () => undefined, read: () => r });
    w.stop();
    r = { wall: r.wall + 2_000, mono: r.mono + 2_000 };
    w.check();
    expect(added).toEqual([]);
    r = { wall: r.wall + 86_400_000 + 2_000, mono: r.mono + 2_000 };
    w.check();
    w.check();
    r = { wall: r.wall - 3_600_000, mono: r.mono + 1 };
    w.check();
    expect(added.map((e) => [e.subject, e.severity, e.message.split(':')[0]])).toEqual([
      ['clock', 'warning', 'the clock moved forward by 1 d 0 h'],
      ['clock', 'warning', 'the clock moved back by 1 h 0 min'],
    ]);
    expect(added[0]?.at).toBe(5_000_000 + 2_000 + 86_400_000 + 2_000);
  });
});
