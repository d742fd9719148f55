/**
 * HAProxy's cumulative counters restart at zero in every new worker, i.e. at every reload, and an
 * old worker goes on serving (and counting) its last connections after the reload. The sampler
 * therefore reads every live worker and keeps, per entity, the last raw value seen from each
 * worker (the epoch is the worker's PID). A counter's delta is the sum over workers of
 * `current - previous`, or `current` for a worker (or entity) not seen before or a counter that
 * went backwards. Totals only grow; a worker that exits keeps what was counted from it.
 *
 * Rates are measured between *emitted* samples (the mark): the agent takes an extra, silent
 * sample just before it reloads, which banks the old worker's counts without adding a point.
 */
export interface WorkerCounters {
  epoch: string;
  raw: Record<string, number>;
}

export interface CounterState {
  at: number;
  /** epoch -> last raw values from that worker */
  seen: Map<string, Record<string, number>>;
  totals: Record<string, number>;
  mark: { at: number; totals: Record<string, number> };
}

export interface CounterStep {
  state: CounterState;
  deltas: Record<string, number>;
  /** Per second since the last emitted sample; empty when not emitting or for the first sample. */
  rates: Record<string, number>;
}

export function advanceCounters(
  prev: CounterState | null,
  sample: {
    at: number;
    workers: readonly WorkerCounters[];
    /** The first sample of all: a baseline, what came before it is not counted. */
    baseline: boolean;
    emit: boolean;
  },
): CounterStep {
  const deltas: Record<string, number> = {};
  const seen = new Map<string, Record<string, number>>();
  for (const w of sample.workers) {
    const before = prev?.seen.get(w.epoch);
    for (const [key, value] of Object.entries(w.raw)) {
      const b = before?.[key];
      const delta = sample.baseline ? 0 : b === undefined || value < b ? value : value - b;
      deltas[key] = (deltas[key] ?? 0) + delta;
    }
    seen.set(w.epoch, { ...w.raw });
  }
  const totals: Record<string, number> = { ...(prev?.totals ?? {}) };
  for (const [key, d] of Object.entries(deltas)) totals[key] = (totals[key] ?? 0) + d;
  const mark = prev?.mark ?? { at: sample.at, totals: { ...totals } };
  const rates: Record<string, number> = {};
  const seconds = (sample.at - mark.at) / 1000;
  if (sample.emit && prev && seconds > 0) {
    for (const [key, t] of Object.entries(totals))
      rates[key] = (t - (mark.totals[key] ?? 0)) / seconds;
  }
  return {
    state: {
      at: sample.at,
      seen,
      totals,
      mark: sample.emit || !prev ? { at: sample.at, totals: { ...totals } } : mark,
    },
    deltas,
    rates,
  };
}
