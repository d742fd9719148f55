/**
 * HAProxy's cumulative counters restart at zero in every new worker, i.e. at every reload. The
 * sampler keeps its own running totals: the delta of a counter between two samples is
 * `current - previous` within one worker, and `current` (everything since the restart) when the
 * worker changed or a counter went backwards. Totals and rates therefore never jump negative and
 * never lose what the new worker has counted. (What the old worker serves after the reload,
 * typically a few in-flight requests, is not visible on the new worker's socket.)
 */
export interface CounterState {
  /** Identifies the worker that produced the raw values (its PID). */
  epoch: string;
  at: number;
  raw: Record<string, number>;
  totals: Record<string, number>;
}

export interface CounterStep {
  state: CounterState;
  deltas: Record<string, number>;
  /** Per second over the interval since the previous sample; empty for the first sample. */
  rates: Record<string, number>;
  restarted: boolean;
}

export function advanceCounters(
  prev: CounterState | null,
  sample: { epoch: string; at: number; raw: Record<string, number> },
): CounterStep {
  const restarted = prev !== null && prev.epoch !== sample.epoch;
  const deltas: Record<string, number> = {};
  const totals: Record<string, number> = { ...(prev?.totals ?? {}) };
  const rates: Record<string, number> = {};
  const seconds = prev ? (sample.at - prev.at) / 1000 : 0;
  for (const [key, value] of Object.entries(sample.raw)) {
    const before = prev?.raw[key];
    const delta =
      prev === null
        ? 0
        : restarted || before === undefined || value < before
          ? value
          : value - before;
    deltas[key] = delta;
    totals[key] = (totals[key] ?? 0) + delta;
    if (seconds > 0) rates[key] = delta / seconds;
  }
  return {
    state: { epoch: sample.epoch, at: sample.at, raw: { ...sample.raw }, totals },
    deltas,
    rates,
    restarted,
  };
}
