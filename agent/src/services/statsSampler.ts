import {
  createDroppedLogs,
  parseShowInfo,
  parseShowStat,
  Rollup,
  sampleStats,
  STAT_METRICS,
  stateCode,
  stateFromCode,
  type EntitySample,
  type RollupPoint,
  type SamplerState,
  type SeriesTier,
} from '@tandem/core';
import type { HaproxyMaster } from '../adapters/haproxyMaster.js';
import type { Clock } from '../adapters/clock.js';
import type { EventStore } from '../store/eventStore.js';
import type { StatPoint, StatsStore } from '../store/statsStore.js';

export interface StatsSnapshot {
  at: number;
  /** The worker the counters came from. */
  pid: number;
  info: Record<string, string>;
  entities: EntitySample[];
}

export interface SamplerMetrics {
  ticks: number;
  failures: number;
  pointsWritten: number;
  lastTickMs: number;
}

/**
 * Every `intervalMs`: `show info` + `show stat` from the worker, turned by core into rates and
 * continuous totals; tier-0 points and the coarser tiers' means are buffered and written in one
 * transaction every `flushMs`; status changes go to the event timeline. A failed read (HAProxy
 * reloading or down) skips the tick: the next rate covers the longer interval, so nothing is lost.
 */
export function createStatsSampler(o: {
  master: Pick<HaproxyMaster, 'workerStats'>;
  store: StatsStore;
  events: EventStore;
  tiers: readonly SeriesTier[];
  clock: Clock;
  intervalMs: number;
  flushMs?: number;
  log: (m: string) => void;
}) {
  let state: SamplerState | null = null;
  let snapshot: StatsSnapshot | null = null;
  const rollup = new Rollup(o.tiers.map((t) => t.stepMs));
  const pending: StatPoint[] = [];
  const metrics: SamplerMetrics = { ticks: 0, failures: 0, pointsWritten: 0, lastTickMs: 0 };
  const listeners = new Set<(s: StatsSnapshot) => void>();
  let tickTimer: NodeJS.Timeout | null = null;
  let flushTimer: NodeJS.Timeout | null = null;
  let failing = false;
  const dropped = createDroppedLogs();
  let droppedTotal = 0;

  const flush = () => {
    pending.push(...rollup.flush(o.clock.now().getTime()).map(toPoint));
    const batch = pending.splice(0, pending.length);
    try {
      o.store.write(batch);
      metrics.pointsWritten += batch.length;
    } catch (e) {
      o.log(
        `could not store ${batch.length} stat points: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  };

  /** One sample; `slotAt` is the step it was scheduled for, `emit` false for a silent checkpoint. */
  const sample = async (slotAt: number | null, emit: boolean): Promise<boolean> => {
    const started = performance.now();
    try {
      const workers = await o.master.workerStats();
      const at = o.clock.now().getTime();
      const current = parseShowInfo(workers[0]?.info ?? '');
      const result = sampleStats(state, {
        at,
        emit,
        workers: workers.map((w) => ({ epoch: String(w.pid), rows: parseShowStat(w.stat) })),
      });
      state = result.state;
      const lost = dropped.update(
        workers.map((w) => ({
          pid: w.pid,
          dropped: Number(parseShowInfo(w.info).fields.DroppedLogs),
        })),
      );
      droppedTotal = lost.total;
      if (lost.added > 0) {
        o.events.add({
          at,
          kind: 'agent',
          severity: 'warning',
          subject: 'logs',
          message: `HAProxy dropped ${lost.added} log line(s): the agent fell behind (${lost.total} since it started)`,
        });
      }
      for (const c of result.changes) {
        o.events.add({
          at,
          kind: c.type === 'server' ? 'server' : 'backend',
          severity: c.to === 'DOWN' ? 'error' : c.to === 'UP' ? 'info' : 'warning',
          subject: c.type === 'server' ? `server ${c.proxy}/${c.name}` : `backend ${c.proxy}`,
          message: c.message,
          data: { from: c.from, to: c.to, check: c.check },
        });
      }
      if (!emit) return true;
      // Points sit on whole steps, so the charts of every entity line up; the slot is the one the
      // tick was scheduled for, so a late answer does not leave its own step empty.
      const step = o.tiers[0]?.stepMs ?? 1000;
      const scheduled = slotAt ?? at;
      const slot = scheduled - (scheduled % step);
      for (const s of result.samples) {
        const values = STAT_METRICS.map((m) => s.metrics[m]);
        pending.push({ entity: s.key, tier: 0, at: slot, state: s.state, values });
        pending.push(...rollup.add(s.key, slot, values, stateCode(s.state)).map(toPoint));
      }
      snapshot = { at, pid: workers[0]?.pid ?? 0, info: current.fields, entities: result.samples };
      metrics.ticks++;
      if (failing) o.log('stats sampling resumed');
      failing = false;
      for (const l of listeners) l(snapshot);
      return true;
    } catch (e) {
      if (slotAt === null || o.clock.now().getTime() - slotAt > o.intervalMs / 2) {
        metrics.failures++;
        if (!failing) o.log(`stats sampling paused: ${e instanceof Error ? e.message : String(e)}`);
        failing = true;
      }
      return false;
    } finally {
      if (emit) metrics.lastTickMs = performance.now() - started;
    }
  };

  // Samples never overlap: a checkpoint and a tick take turns. A scheduled tick that finds the
  // previous tick still running is skipped (the next rate covers the longer interval).
  let running: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = running.then(fn);
    running = p.catch(() => undefined);
    return p;
  };
  let ticking = false;
  const tick = async (slotAt?: number): Promise<void> => {
    if (ticking) return;
    ticking = true;
    try {
      // A master busy reloading refuses for a moment: retry within the first half of the step,
      // so a reload does not leave a hole in the chart.
      for (let attempt = 0; attempt < 4; attempt++) {
        if (await exclusive(() => sample(slotAt ?? null, true))) return;
        if (slotAt === undefined || o.clock.now().getTime() - slotAt > o.intervalMs / 2) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      ticking = false;
    }
  };

  return {
    start(): void {
      // Ticks are aligned to the interval (plus a little), one per step, not drifting with setInterval.
      const schedule = () => {
        const now = o.clock.now().getTime();
        const next = now - (now % o.intervalMs) + o.intervalMs;
        tickTimer = setTimeout(
          () => {
            schedule();
            void tick(next);
          },
          next - now + 20,
        );
      };
      schedule();
      flushTimer = setInterval(flush, o.flushMs ?? 5_000);
    },
    stop(): void {
      if (tickTimer) clearTimeout(tickTimer);
      if (flushTimer) clearInterval(flushTimer);
      flush();
    },
    tick,
    /**
     * A silent sample just before a reload: banks what the old worker counted since the last tick,
     * so the first rate after the reload is whole even if the old worker exits at once.
     */
    checkpoint: async (): Promise<void> => {
      await exclusive(() => sample(null, false));
    },
    flush,
    snapshot: (): StatsSnapshot | null => snapshot,
    metrics: (): SamplerMetrics => ({ ...metrics }),
    /** Log lines HAProxy dropped since the agent started (its reader fell behind). */
    droppedLogs: () => droppedTotal,
    subscribe(l: (s: StatsSnapshot) => void): () => void {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}
export type StatsSampler = ReturnType<typeof createStatsSampler>;

const toPoint = (p: RollupPoint): StatPoint => ({
  entity: p.entity,
  tier: p.tier,
  at: p.at,
  values: p.values,
  state: stateFromCode(p.state),
});
