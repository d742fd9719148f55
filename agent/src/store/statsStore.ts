import type Database from 'better-sqlite3';
import {
  stateCode,
  stateFromCode,
  STAT_METRICS,
  stepStart,
  type EntityState,
  type SeriesTier,
  type StatMetric,
} from '@tandem/core';

/**
 * Stats time series in the telemetry DB (schema step 3): a point per entity, tier and step, with
 * the metrics packed as float32 (STAT_METRICS order). Reads return chart-ready arrays: one slot per
 * step of the window, null where nothing was sampled (agent down, entity absent), never zero.
 */
export interface StatPoint {
  entity: string;
  tier: number;
  at: number;
  state: EntityState;
  values: readonly number[];
}

export interface Series {
  entity: string;
  tier: number;
  stepMs: number;
  from: number;
  to: number;
  at: number[];
  state: (EntityState | null)[];
  values: Partial<Record<StatMetric, (number | null)[]>>;
}

/** Bytes a point takes on disk, measured (docs/performance.md): used to turn the cap into rows. */
export const BYTES_PER_POINT = 110;

function pack(values: readonly number[]): Buffer {
  const a = new Float32Array(STAT_METRICS.length);
  values.forEach((v, i) => (a[i] = Number.isFinite(v) ? v : 0));
  return Buffer.from(a.buffer);
}

function unpack(b: Buffer): Float32Array {
  const copy = new Uint8Array(b.length);
  copy.set(b);
  return new Float32Array(copy.buffer, 0, Math.floor(b.length / 4));
}

export function openStatsStore(db: Database.Database, tiers: readonly SeriesTier[]) {
  const ids = new Map<string, number>();
  const findId = db.prepare('SELECT id FROM stat_entities WHERE key = ?');
  const addId = db.prepare('INSERT INTO stat_entities (key) VALUES (?)');
  const idOf = (key: string): number => {
    let id = ids.get(key);
    if (id === undefined) {
      const row = findId.get(key) as { id: number } | undefined;
      id = row ? row.id : Number(addId.run(key).lastInsertRowid);
      ids.set(key, id);
    }
    return id;
  };
  // A sample replayed after a restart (same step) replaces the earlier one.
  const put = db.prepare(
    'INSERT OR REPLACE INTO stat_points (entity, tier, at, state, v) VALUES (?, ?, ?, ?, ?)',
  );
  const writeAll = db.transaction((points: readonly StatPoint[]) => {
    for (const p of points)
      put.run(idOf(p.entity), p.tier, p.at, stateCode(p.state), pack(p.values));
  });
  const read = db.prepare(
    'SELECT at, state, v FROM stat_points WHERE entity = ? AND tier = ? AND at >= ? AND at < ? ORDER BY at',
  );

  return {
    /** One transaction for the whole batch. */
    write(points: readonly StatPoint[]): void {
      if (points.length > 0) writeAll(points);
    },
    series(q: {
      entity: string;
      tier: number;
      from: number;
      to: number;
      metrics: readonly StatMetric[];
    }): Series {
      const stepMs = tiers[q.tier]?.stepMs ?? 1000;
      const from = stepStart(q.from, stepMs);
      const slots = Math.max(0, Math.ceil((q.to - from) / stepMs));
      const at = Array.from({ length: slots }, (_, i) => from + i * stepMs);
      const state: (EntityState | null)[] = at.map(() => null);
      const values: Series['values'] = {};
      for (const m of q.metrics) values[m] = at.map(() => null);
      const columns = q.metrics.map((m) => STAT_METRICS.indexOf(m));
      const row = findId.get(q.entity) as { id: number } | undefined;
      if (row) {
        for (const r of read.iterate(row.id, q.tier, from, q.to) as Iterable<{
          at: number;
          state: number;
          v: Buffer;
        }>) {
          const slot = Math.floor((r.at - from) / stepMs);
          if (slot < 0 || slot >= slots) continue;
          const v = unpack(r.v);
          state[slot] = stateFromCode(r.state);
          q.metrics.forEach((m, k) => {
            const arr = values[m];
            if (arr) arr[slot] = v[columns[k] ?? -1] ?? null;
          });
        }
      }
      return { entity: q.entity, tier: q.tier, stepMs, from, to: q.to, at, state, values };
    },
    entities(): string[] {
      return (
        db.prepare('SELECT key FROM stat_entities ORDER BY key').all() as { key: string }[]
      ).map((r) => r.key);
    },
    /**
     * Retention: each tier keeps its window; over the size cap, the finest tier gives up its
     * oldest points first (the coarser tiers still cover that time).
     */
    prune(now: number, maxBytes: number): number {
      let removed = 0;
      tiers.forEach((t, i) => {
        removed += db
          .prepare('DELETE FROM stat_points WHERE tier = ? AND at < ?')
          .run(i, now - t.keepMs).changes;
      });
      const maxRows = Math.floor(maxBytes / BYTES_PER_POINT);
      const rows = (db.prepare('SELECT COUNT(*) AS n FROM stat_points').get() as { n: number }).n;
      let excess = rows - maxRows;
      for (let i = 0; i < tiers.length && excess > 0; i++) {
        // Points are grouped by time: cut at the time of the excess-th oldest point of this tier.
        const cut = db
          .prepare('SELECT at FROM stat_points WHERE tier = ? ORDER BY at LIMIT 1 OFFSET ?')
          .get(i, excess - 1) as { at: number } | undefined;
        const n = db
          .prepare('DELETE FROM stat_points WHERE tier = ? AND at <= ?')
          .run(i, cut?.at ?? Number.MAX_SAFE_INTEGER).changes;
        removed += n;
        excess -= n;
      }
      return removed;
    },
    count: (): number =>
      (db.prepare('SELECT COUNT(*) AS n FROM stat_points').get() as { n: number }).n,
  };
}
export type StatsStore = ReturnType<typeof openStatsStore>;
