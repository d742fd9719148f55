import { getHeapSpaceStatistics } from 'node:v8';
import type { Route } from './router.js';
import { openStreams } from './sse.js';
import type { RouteDeps } from './routes.js';

/**
 * The agent's own metrics in Prometheus text format (HAProxy's are on the admin bind's
 * /metrics). Names and meanings are listed in docs/stats.md.
 */
export function createMetricsRoute(d: Pick<RouteDeps, 'ingest' | 'sampler' | 'metrics'>): Route {
  return {
    method: 'GET',
    path: '/metrics',
    summary: "The agent's own metrics, Prometheus text format",
    text: true,
    handler: () => {
      const lines: string[] = [];
      const metric = (
        name: string,
        type: 'counter' | 'gauge',
        help: string,
        value: number,
        labels = '',
      ) => {
        if (!lines.some((l) => l.startsWith(`# TYPE ${name} `))) {
          lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
        }
        lines.push(`${name}${labels} ${Number.isFinite(value) ? value : 0}`);
      };
      const m = d.metrics();
      metric(
        'tandem_agent_uptime_seconds',
        'gauge',
        'Seconds since the agent started.',
        m.uptimeSeconds,
      );
      metric(
        'tandem_generation_running',
        'gauge',
        'The generation HAProxy runs (0: none).',
        m.running,
      );
      metric('tandem_generation_latest', 'gauge', 'The newest committed generation.', m.latest);
      // The agent's memory by kind: whether growth is JavaScript (heap) or native (SQLite, buffers).
      const mem = process.memoryUsage();
      for (const [kind, bytes] of [
        ['rss', mem.rss],
        ['heap_used', mem.heapUsed],
        ['heap_total', mem.heapTotal],
        ['external', mem.external],
        ['array_buffers', mem.arrayBuffers],
      ] as const)
        metric(
          'tandem_agent_memory_bytes',
          'gauge',
          "The agent process's memory, by kind (Node's process.memoryUsage()).",
          bytes,
          `{kind="${kind}"}`,
        );
      // Which part of V8's heap holds it: old space that only grows is a leak, code space that
      // grows once is the JIT warming to new paths (a unit taking over the VIP runs its ingest).
      for (const sp of getHeapSpaceStatistics())
        metric(
          'tandem_agent_heap_space_bytes',
          'gauge',
          "Bytes in use in each space of the main thread's V8 heap.",
          sp.space_used_size,
          `{space="${sp.space_name}"}`,
        );
      for (const [thread, bytes] of Object.entries(m.threadHeaps))
        metric(
          'tandem_agent_thread_heap_bytes',
          'gauge',
          "Bytes V8 holds for each of the agent's worker threads (0: not running now).",
          bytes,
          `{thread="${thread}"}`,
        );
      metric(
        'tandem_live_streams',
        'gauge',
        'Live tails (server-sent events) open now.',
        openStreams(),
      );
      metric(
        'tandem_applies_total',
        'counter',
        'Applies finished, by result.',
        m.applies.ok,
        '{result="ok"}',
      );
      metric(
        'tandem_applies_total',
        'counter',
        'Applies finished, by result.',
        m.applies.failed,
        '{result="failed"}',
      );
      metric(
        'tandem_telemetry_db_bytes',
        'gauge',
        'Size of the telemetry DB with its WAL.',
        m.telemetryBytes,
      );
      metric(
        'tandem_config_db_bytes',
        'gauge',
        'Size of the config DB with its WAL.',
        m.configBytes,
      );
      const i = d.ingest?.metrics();
      if (i) {
        metric(
          'tandem_log_lines_received_total',
          'counter',
          'Log lines read from HAProxy.',
          i.received,
        );
        metric(
          'tandem_log_lines_stored_total',
          'counter',
          'Log lines written to the log store.',
          i.stored,
        );
        metric(
          'tandem_log_parse_errors_total',
          'counter',
          'Lines stored raw with a parse error.',
          i.parseErrors,
        );
        metric(
          'tandem_log_lines_dropped_total',
          'counter',
          'Lines the store could not take.',
          i.dropped,
        );
        metric('tandem_log_queue_lines', 'gauge', 'Lines waiting to be stored.', i.queued);
      }
      const s = d.sampler?.metrics();
      if (s) {
        metric('tandem_stats_samples_total', 'counter', 'Stats samples taken.', s.ticks);
        metric(
          'tandem_stats_sample_failures_total',
          'counter',
          'Samples HAProxy did not answer.',
          s.failures,
        );
        metric(
          'tandem_stats_points_written_total',
          'counter',
          'Series points stored.',
          s.pointsWritten,
        );
        metric(
          'tandem_stats_sample_seconds',
          'gauge',
          'Duration of the last sample.',
          s.lastTickMs / 1000,
        );
      }
      return `${lines.join('\n')}\n`;
    },
  };
}
