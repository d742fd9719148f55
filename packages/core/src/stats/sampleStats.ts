import { advanceCounters, type CounterState, type WorkerCounters } from './counterContinuity.js';
import { entityState, type EntityState } from './entityStatus.js';
import type { StatRow, StatType } from './parseShowStat.js';

/**
 * One sampler tick: `show stat` rows of one worker (its PID is the counters' epoch) into
 * per-entity rates, gauges and continuous totals, plus the status changes since the last tick.
 * Pure: the agent supplies the rows and the time and keeps the returned state.
 */
export const STAT_METRICS = [
  'req_rate',
  'conn_rate',
  'sessions',
  'queue',
  'bytes_in',
  'bytes_out',
  'hrsp_1xx',
  'hrsp_2xx',
  'hrsp_3xx',
  'hrsp_4xx',
  'hrsp_5xx',
  'err_req',
  'err_conn',
  'err_resp',
  'denied',
  'rtime',
  'ttime',
] as const;
export type StatMetric = (typeof STAT_METRICS)[number];

/** Counters whose totals are kept continuous across reloads. */
const COUNTERS = [
  'req_tot',
  'conn_tot',
  'stot',
  'bin',
  'bout',
  'hrsp_1xx',
  'hrsp_2xx',
  'hrsp_3xx',
  'hrsp_4xx',
  'hrsp_5xx',
  'ereq',
  'econ',
  'eresp',
  'dreq',
  'dresp',
  'chkfail',
  'wretr',
  'wredis',
] as const;

export type EntityType = Exclude<StatType, 'listener'>;

export interface EntitySample {
  /** `frontend/web`, `backend/web.app`, `server/web.app/s1`: stable across reloads. */
  key: string;
  type: EntityType;
  proxy: string;
  name: string;
  state: EntityState;
  /** HAProxy's status text as is ("UP 1/3", "MAINT (via ...)"). */
  status: string;
  check: { status: string; code: number | null; description: string; detail: string } | null;
  weight: number | null;
  metrics: Record<StatMetric, number>;
  /** Counters summed over every worker since the sampler started. */
  totals: Record<string, number>;
}

export interface StatusChange {
  key: string;
  type: EntityType;
  proxy: string;
  name: string;
  from: EntityState;
  to: EntityState;
  check: EntitySample['check'];
  message: string;
}

export interface SamplerState {
  at: number;
  /** Epochs (worker PIDs) read at the last sample. */
  epochs: string[];
  counters: Map<string, CounterState>;
  states: Map<string, EntityState>;
}

/** One worker's `show stat`; the current worker first, then old ones still finishing. */
export interface WorkerStats {
  epoch: string;
  rows: readonly StatRow[];
}

export function entityKey(type: EntityType, proxy: string, name: string): string {
  return type === 'server' ? `server/${proxy}/${name}` : `${type}/${proxy}`;
}

function checkOf(row: StatRow): EntitySample['check'] {
  const status = row.text.check_status;
  if (status === undefined) return null;
  return {
    status: status.replace(/^\* ?/, ''),
    code: row.values.check_code ?? null,
    description: row.text.check_desc ?? '',
    detail: row.text.last_chk ?? '',
  };
}

export function describeChange(c: Omit<StatusChange, 'message'>): string {
  const what = c.type === 'server' ? `server ${c.proxy}/${c.name}` : `${c.type} ${c.proxy}`;
  const why =
    c.check && (c.to === 'DOWN' || c.to === 'UP')
      ? `: ${[c.check.description || c.check.status, c.check.code !== null ? `code ${c.check.code}` : '', c.check.detail ? `"${c.check.detail}"` : ''].filter(Boolean).join(', ')}`
      : '';
  return `${what} is ${c.to} (was ${c.from})${why}`;
}

export function sampleStats(
  prev: SamplerState | null,
  tick: { at: number; workers: readonly WorkerStats[]; emit?: boolean },
): { state: SamplerState; samples: EntitySample[]; changes: StatusChange[]; restarted: boolean } {
  const emit = tick.emit ?? true;
  // Rows by entity: the current worker's row describes it, every worker's counters add up.
  const byKey = new Map<
    string,
    { row: StatRow; type: EntityType; workers: WorkerCounters[]; scur: number; qcur: number }
  >();
  for (const w of tick.workers) {
    for (const row of w.rows) {
      if (row.type === 'listener') continue;
      const key = entityKey(row.type, row.proxy, row.name);
      const raw: Record<string, number> = {};
      for (const c of COUNTERS) {
        const v = row.values[c];
        if (v !== undefined) raw[c] = v;
      }
      const e = byKey.get(key);
      if (e) {
        e.workers.push({ epoch: w.epoch, raw });
        e.scur += row.values.scur ?? 0;
        e.qcur += row.values.qcur ?? 0;
      } else
        byKey.set(key, {
          row,
          type: row.type,
          workers: [{ epoch: w.epoch, raw }],
          scur: row.values.scur ?? 0,
          qcur: row.values.qcur ?? 0,
        });
    }
  }
  const counters = new Map<string, CounterState>();
  const states = new Map<string, EntityState>();
  const samples: EntitySample[] = [];
  const changes: StatusChange[] = [];
  for (const [key, { row, type, workers, scur, qcur }] of byKey) {
    const step = advanceCounters(prev?.counters.get(key) ?? null, {
      at: tick.at,
      workers,
      baseline: prev === null,
      emit,
    });
    counters.set(key, step.state);
    const rate = (c: string) => step.rates[c] ?? 0;
    const http = row.text.mode !== 'tcp' && row.values.req_tot !== undefined;
    const metrics: Record<StatMetric, number> = {
      req_rate: http ? rate('req_tot') : rate('stot'),
      conn_rate:
        type === 'frontend' && row.values.conn_tot !== undefined ? rate('conn_tot') : rate('stot'),
      sessions: scur,
      queue: qcur,
      bytes_in: rate('bin'),
      bytes_out: rate('bout'),
      hrsp_1xx: rate('hrsp_1xx'),
      hrsp_2xx: rate('hrsp_2xx'),
      hrsp_3xx: rate('hrsp_3xx'),
      hrsp_4xx: rate('hrsp_4xx'),
      hrsp_5xx: rate('hrsp_5xx'),
      err_req: rate('ereq'),
      err_conn: rate('econ'),
      err_resp: rate('eresp'),
      denied: rate('dreq') + rate('dresp'),
      rtime: row.values.rtime ?? 0,
      ttime: row.values.ttime ?? 0,
    };
    const state = entityState(row.status);
    states.set(key, state);
    const sample: EntitySample = {
      key,
      type,
      proxy: row.proxy,
      name: type === 'server' ? row.name : row.proxy,
      state,
      status: row.status,
      check: checkOf(row),
      weight: type === 'frontend' ? null : (row.values.weight ?? null),
      metrics,
      totals: step.state.totals,
    };
    samples.push(sample);
    const was = prev?.states.get(key);
    if (was !== undefined && was !== state && type !== 'frontend') {
      const change = {
        key,
        type,
        proxy: row.proxy,
        name: sample.name,
        from: was,
        to: state,
        check: sample.check,
      };
      changes.push({ ...change, message: describeChange(change) });
    }
  }
  const epochs = tick.workers.map((w) => w.epoch);
  return {
    state: { at: tick.at, epochs, counters, states },
    samples,
    changes,
    restarted: prev !== null && prev.epochs[0] !== epochs[0],
  };
}
