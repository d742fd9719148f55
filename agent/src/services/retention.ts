import type { EventStore } from '../store/eventStore.js';
import type { LogStore } from '../store/logStore.js';
import type { StatsStore } from '../store/statsStore.js';

export interface RetentionLimits {
  logRetentionMs: number;
  logMaxBytes: number;
  statsMaxBytes: number;
  eventsRetentionMs: number;
}

/**
 * The telemetry DB's retention pass (every minute: the 1-second tier holds an hour). A failure
 * (disk full, a locked DB) is logged and retried on the next pass: it runs on a timer, where an
 * exception would end the agent.
 */
export function createRetention(o: {
  logs: Pick<LogStore, 'prune'>;
  series: Pick<StatsStore, 'prune'>;
  events: Pick<EventStore, 'prune'>;
  limits: RetentionLimits;
  log: (m: string) => void;
  now?: () => number;
}) {
  const now = o.now ?? Date.now;
  let failing = false;
  return {
    /** One pass; true when it completed. */
    run(): boolean {
      try {
        const t = now();
        const removed = o.logs.prune(t, o.limits.logRetentionMs, o.limits.logMaxBytes);
        if (removed > 0) o.log(`log retention removed ${removed} lines`);
        o.series.prune(t, o.limits.statsMaxBytes);
        o.events.prune(t, o.limits.eventsRetentionMs, 100_000);
        if (failing) o.log('telemetry retention works again');
        failing = false;
        return true;
      } catch (e) {
        if (!failing)
          o.log(`telemetry retention failed: ${e instanceof Error ? e.message : String(e)}`);
        failing = true;
        return false;
      }
    },
  };
}
