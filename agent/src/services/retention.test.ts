import { describe, expect, it } from 'vitest';
import { createRetention } from './retention.js';

const limits = { logRetentionMs: 1, logMaxBytes: 1, statsMaxBytes: 1, eventsRetentionMs: 1 };

describe('telemetry retention', () => {
  it('logs a failing pass once, keeps going, and says when it works again', () => {
    const logged: string[] = [];
    let broken = true;
    const calls: string[] = [];
    const r = createRetention({
      logs: {
        prune: () => {
          calls.push('logs');
          if (broken) throw new Error('database or disk is full');
          return 3;
        },
      },
      series: { prune: () => (calls.push('series'), 0) },
      events: { prune: () => (calls.push('events'), 0) },
      limits,
      log: (m) => void logged.push(m),
    });
    expect(r.run()).toBe(false);
    expect(r.run()).toBe(false);
    broken = false;
    expect(r.run()).toBe(true);
    expect(logged).toEqual([
      'telemetry retention failed: database or disk is full',
      'log retention removed 3 lines',
      'telemetry retention works again',
    ]);
    expect(calls.slice(-3)).toEqual(['logs', 'series', 'events']);
  });
});
