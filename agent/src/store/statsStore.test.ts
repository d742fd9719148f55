import { DEFAULT_TIERS, STAT_METRICS } from '@tandem/core';
import { describe, expect, it } from 'vitest';
import { openEventStore } from './eventStore.js';
import { openTelemetryDb } from './openTelemetryDb.js';
import { BYTES_PER_POINT, openStatsStore } from './statsStore.js';

const values = (req: number) => STAT_METRICS.map((m) => (m === 'req_rate' ? req : 0));

describe('stats store', () => {
  it('reads a chart-ready series: one slot per step, null where nothing was sampled', () => {
    const stats = openStatsStore(openTelemetryDb(':memory:'), DEFAULT_TIERS);
    stats.write([
      { entity: 'frontend/web', tier: 0, at: 10_000, state: 'OPEN', values: values(5) },
      { entity: 'frontend/web', tier: 0, at: 12_000, state: 'OPEN', values: values(7.5) },
      { entity: 'frontend/other', tier: 0, at: 11_000, state: 'OPEN', values: values(99) },
    ]);
    const s = stats.series({
      entity: 'frontend/web',
      tier: 0,
      from: 10_400,
      to: 13_000,
      metrics: ['req_rate'],
    });
    expect(s.at).toEqual([10_000, 11_000, 12_000]);
    expect(s.values.req_rate).toEqual([5, null, 7.5]);
    expect(s.state).toEqual(['OPEN', null, 'OPEN']);
    expect(
      stats.series({ entity: 'frontend/none', tier: 0, from: 0, to: 2000, metrics: ['req_rate'] })
        .values.req_rate,
    ).toEqual([null, null]);
    expect(stats.entities()).toEqual(['frontend/other', 'frontend/web']);
  });

  it('keeps each tier for its window and stays under the size cap, finest tier first', () => {
    const stats = openStatsStore(openTelemetryDb(':memory:'), DEFAULT_TIERS);
    const now = 40 * 86_400_000;
    stats.write([
      { entity: 'backend/a', tier: 0, at: now - 7_200_000, state: 'UP', values: values(1) },
      { entity: 'backend/a', tier: 0, at: now - 1_000, state: 'UP', values: values(1) },
      { entity: 'backend/a', tier: 2, at: now - 31 * 86_400_000, state: 'UP', values: values(1) },
      { entity: 'backend/a', tier: 2, at: now - 7_200_000, state: 'UP', values: values(1) },
    ]);
    expect(stats.prune(now, 1e9)).toBe(2);
    expect(stats.count()).toBe(2);
    const many = Array.from({ length: 100 }, (_, i) => ({
      entity: 'backend/a',
      tier: 0,
      at: now - 100_000 + i * 1000,
      state: 'UP' as const,
      values: values(i),
    }));
    stats.write(many);
    // A cap of 50 points: the oldest 1-second points go, the coarse point stays.
    stats.prune(now, 50 * BYTES_PER_POINT);
    expect(stats.count()).toBe(50);
    const kept = stats.series({
      entity: 'backend/a',
      tier: 2,
      from: now - 7_200_000,
      to: now,
      metrics: ['req_rate'],
    });
    expect(kept.values.req_rate?.[0]).toBe(1);
  });
});

describe('event store', () => {
  it('lists newest first, pages, filters by kind, tells subscribers and prunes', () => {
    const events = openEventStore(openTelemetryDb(':memory:'));
    const heard: number[] = [];
    const stop = events.subscribe((e) => heard.push(e.id));
    for (let i = 0; i < 5; i++)
      events.add({
        at: i,
        kind: i % 2 ? 'server' : 'apply',
        severity: 'info',
        subject: `s${i}`,
        message: `m${i}`,
        data: { i },
      });
    stop();
    events.add({ at: 9, kind: 'agent', severity: 'info', subject: 'u', message: 'late' });
    expect(heard).toEqual([1, 2, 3, 4, 5]);
    expect(events.query({ limit: 2 }).map((e) => e.message)).toEqual(['late', 'm4']);
    expect(events.query({ limit: 10, kind: 'server' }).map((e) => e.data)).toEqual([
      { i: 3 },
      { i: 1 },
    ]);
    expect(events.query({ limit: 2, after: 2 }).map((e) => e.id)).toEqual([3, 4]);
    expect(events.prune(10, 8, 3)).toBe(3);
    expect(events.query({ limit: 10 }).map((e) => e.id)).toEqual([6, 5, 4]);
  });
});
