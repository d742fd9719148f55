import { join } from 'node:path';
import type { AgentEnv } from './env.js';
import { createLogIngest } from './services/logIngest.js';
import { createTcpLogListener } from './adapters/logListener.js';
import { createRetention } from './services/retention.js';
import { createThreadLogWriter } from './services/logWriterThread.js';
import { createThreadLogIndexer } from './services/logIndexer.js';
import { openEventStore } from './store/eventStore.js';
import { openLogStore } from './store/logStore.js';
import { openStatsStore } from './store/statsStore.js';
import { openTelemetryOrRebuild } from './store/openTelemetryOrRebuild.js';
import { systemClock } from './adapters/clock.js';
import { createLogQueries } from './services/logQueries.js';
import { createEventQueries } from './services/eventQueries.js';
import { createStatsQueries } from './services/statsQueries.js';
import type { StatsSampler } from './services/statsSampler.js';
import { createClockWatch } from './services/clockWatch.js';

/**
 * Part of the agent's composition root (main.ts): the telemetry DB (logs, stats series, events)
 * with its retention, the log ingest (started before HAProxy so its first lines are kept), and
 * the query services the routes answer from.
 */
export async function composeTelemetry(o: { env: AgentEnv; log: (m: string) => void }) {
  const { env, log } = o;
  const path = join(env.stateDir, 'telemetry.db');
  const { db, setAside } = openTelemetryOrRebuild(
    path,
    new Date().toISOString().replace(/[:.]/g, '-'),
  );
  const logs = openLogStore(db);
  const series = openStatsStore(db, env.statsTiers);
  const events = openEventStore(db);
  if (setAside) {
    const message = `the telemetry database was damaged (${setAside.reason}); kept as ${setAside.path}, logs, stats and events start afresh`;
    log(message);
    events.add({ at: Date.now(), kind: 'agent', severity: 'error', subject: 'telemetry', message });
  }
  let ingest: ReturnType<typeof createLogIngest> | null = null;
  const indexer = createThreadLogIndexer(path, { log, onSummary: (r) => ingest?.summarized(r) });
  const writer = env.logPort > 0 ? createThreadLogWriter(path, { log }) : null;
  ingest = writer
    ? createLogIngest({
        writer,
        indexer,
        listener: createTcpLogListener(env.logPort),
        log,
      })
    : null;
  await ingest?.start();
  // Blocks stored before a restart and not summarized yet.
  if (ingest && logs.pendingBlocks() > 0) indexer.poke();
  const retention = createRetention({ logs, series, events, limits: env, log });
  retention.run();
  // Every minute: the 1-second tier holds an hour, so its oldest minute goes each minute.
  const pruneTimer = setInterval(() => retention.run(), 60_000);
  pruneTimer.unref();
  // Times in these stores are wall times: a step of the clock is said on the timeline.
  const clockWatch = createClockWatch({ add: (e) => events.add(e), log });
  return {
    logs,
    series,
    events,
    ingest,
    /** The worker threads' heaps for /metrics (0: the thread is not running now). */
    threadHeaps: () => ({
      log_writer: writer?.heapBytes() ?? 0,
      log_indexer: indexer.heapBytes(),
    }),
    /** What the log, stats and event routes ask; the sampler comes later (it needs HAProxy). */
    queries: (sampler: StatsSampler | null) => ({
      logs: createLogQueries({ logs: env.logPort > 0 ? logs : null }),
      stats: createStatsQueries({ sampler, series, tiers: env.statsTiers, clock: systemClock }),
      events: createEventQueries({ events }),
    }),
    async close(): Promise<void> {
      clearInterval(pruneTimer);
      clockWatch.stop();
      await ingest?.stop();
      db.close();
    },
  };
}
