import type { EventInput } from '@tandem/core';

/** One reading of both clocks: the wall clock (what times are stored in) and a monotonic one. */
export interface ClockReading {
  wall: number;
  mono: number;
}

/**
 * How far the wall clock stepped between two readings, beyond what the monotonic clock says
 * passed; null when within `thresholdMs` (NTP slews by microseconds, a step is seconds or days).
 */
export function clockStep(
  prev: ClockReading,
  now: ClockReading,
  thresholdMs: number,
): number | null {
  const step = now.wall - prev.wall - (now.mono - prev.mono);
  return Math.abs(step) >= thresholdMs ? step : null;
}

/** A step in words a reader takes in at once: `1 d 2 h`, `3 h 5 min`, `42 s`. */
export function stepText(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  const [d, h, m] = [
    Math.floor(s / 86_400),
    Math.floor((s % 86_400) / 3600),
    Math.floor((s % 3600) / 60),
  ];
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s % 60} s`;
  return `${s} s`;
}

/** The event that says so: what moved, and what a reader of the logs and charts should expect. */
export function clockStepEvent(step: number, wall: number): EventInput {
  const forward = step > 0;
  return {
    at: wall,
    kind: 'agent',
    severity: 'warning',
    subject: 'clock',
    message: forward
      ? `the clock moved forward by ${stepText(step)}: log lines, samples and events show a gap here`
      : `the clock moved back by ${stepText(step)}: log lines, samples and events of the next ${stepText(step)} take times already used; console sessions from before the step end (past a minute)`,
  };
}

/**
 * Watches the wall clock against the monotonic one (issue 20): a board without a battery starts
 * in 1970 or at its last shutdown and NTP steps it later, an operator runs `date -s`. Times in
 * the stores are wall times, so the timeline says when the clock stepped and by how much; the
 * timers that matter (sampling, retries, bounds) run on monotonic time and carry on.
 */
export function createClockWatch(o: {
  add: (e: EventInput) => void;
  log: (m: string) => void;
  intervalMs?: number;
  thresholdMs?: number;
  read?: () => ClockReading;
}) {
  const read = o.read ?? (() => ({ wall: Date.now(), mono: performance.now() }));
  const thresholdMs = o.thresholdMs ?? 5_000;
  let last = read();
  const check = () => {
    const now = read();
    const step = clockStep(last, now, thresholdMs);
    last = now;
    if (step === null) return;
    const e = clockStepEvent(step, now.wall);
    o.log(e.message);
    o.add(e);
  };
  const timer = setInterval(check, o.intervalMs ?? 2_000);
  timer.unref();
  return {
    check,
    stop: () => clearInterval(timer),
  };
}
