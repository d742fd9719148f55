import { z } from 'zod';
import { PasswordHash, UserName } from '../grammar/names.js';
import { IpAddress, Port } from '../grammar/network.js';
import { DurationMs, IntRange, UrlPath } from '../grammar/text.js';
import { ResolverSettings } from './discovery.js';
import { hint } from './hints.js';
import { DefaultTimeouts } from './timeouts.js';

/**
 * The admin bind: HAProxy's stats page and Prometheus exporter. Loopback by default (the console
 * shows it through the agent); on any other address a userlist login is required, because there is
 * no default password, ever.
 */
export const AdminEndpoint = z
  .object({
    enabled: z.boolean().default(true),
    address: hint(IpAddress.default('127.0.0.1'), { label: 'Admin address' }),
    port: hint(Port.default(8404), { label: 'Admin port' }),
    statsPage: hint(z.boolean().default(true), { label: 'Stats page' }),
    statsPath: hint(UrlPath.default('/stats'), { label: 'Stats page path' }),
    prometheus: hint(z.boolean().default(true), { label: 'Prometheus exporter' }),
    prometheusPath: hint(UrlPath.default('/metrics'), { label: 'Prometheus path' }),
    auth: z.object({ user: UserName, passwordHash: PasswordHash }).strict().optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.statsPage && a.prometheus && a.statsPath === a.prometheusPath) {
      ctx.addIssue({
        code: 'custom',
        path: ['prometheusPath'],
        message: 'must differ from statsPath',
      });
    }
  });
export type AdminEndpoint = z.output<typeof AdminEndpoint>;

export const LOG_LEVELS = [
  'emerg',
  'alert',
  'crit',
  'err',
  'warning',
  'notice',
  'info',
  'debug',
] as const;

const GlobalSettingsShape = z
  .object({
    // HAProxy needs about two file descriptors per connection and refuses to start when the
    // limit it computes exceeds the process's hard limit (`haproxy -c` does not notice). 4096 fits
    // a 1 GB board and the default 20k-fd hard limit seen on Debian hosts.
    maxconn: hint(IntRange(1, 1_000_000).default(4096), {
      label: 'Max connections',
      help: 'Process-wide limit on concurrent connections',
      unit: 'connections',
    }),
    nbthread: hint(IntRange(1, 64).optional(), {
      label: 'Threads',
      help: 'Unset: one per CPU core',
      advanced: true,
    }),
    // How long an old worker may keep serving its connections after a reload (ADR 0014). Unset:
    // as long as the longest tunnel timeout in the configuration (a WebSocket promised an hour
    // of idle time keeps it across applies), capped by oldWorkerGraceMaxMs.
    oldWorkerGraceMs: hint(DurationMs(1_000, 86_400_000).optional(), {
      label: 'Old worker grace',
      help: 'After a reload, connections still open on the old process are closed after this time. Unset: the longest tunnel timeout, capped',
      unit: 'duration',
      advanced: true,
    }),
    oldWorkerGraceMaxMs: hint(DurationMs(1_000, 86_400_000).default(3_600_000), {
      label: 'Old worker grace cap',
      help: 'Upper bound on the automatic grace',
      unit: 'duration',
      advanced: true,
    }),
    // Each old worker holds its own memory; on a 512 MB board a burst of applies while long
    // connections stay open must not pile them up. The agent stops the oldest beyond this many.
    maxOldWorkers: hint(IntRange(1, 50).default(3), {
      label: 'Old workers kept',
      help: 'Previous HAProxy processes allowed to finish their connections at once; the oldest beyond this are stopped',
      advanced: true,
    }),
    // When an old worker is finally stopped, its connections are closed over this window rather
    // than all at once, so clients do not all reconnect in the same instant.
    closeSpreadMs: hint(DurationMs(0, 3_600_000).default(5_000), {
      label: 'Close spread',
      help: 'Window over which an old worker closes its idle connections',
      unit: 'duration',
      advanced: true,
    }),
    // The master kills a worker that survived this many reloads. It counts reloads, not live
    // workers, so at 50 it cut every WebSocket of a worker through a burst of applies (the
    // reload-state bench found it); the agent's maxOldWorkers is the bound, this only a net for
    // when the agent is gone.
    mworkerMaxReloads: hint(IntRange(1, 10_000).default(1_000), {
      label: 'Max reloads per worker',
      advanced: true,
    }),
    // Without this, idle keep-alive clients see a connection reset when a reload closes them
    // between two requests; with it, HAProxy tells them to close on their next response.
    idleCloseOnResponse: hint(z.boolean().default(true), {
      label: 'Close idle keep-alive connections gracefully on reload',
      advanced: true,
    }),
    retries: hint(IntRange(0, 100).default(3), { label: 'Retries', advanced: true }),
    redispatch: hint(z.boolean().default(true), { label: 'Redispatch', advanced: true }),
    timeouts: DefaultTimeouts.default({
      connect: 5_000,
      client: 30_000,
      server: 30_000,
      httpRequest: 10_000,
      httpKeepAlive: 10_000,
      queue: 30_000,
      tunnel: 3_600_000,
      check: 5_000,
    }),
    logLevel: hint(z.enum(LOG_LEVELS).default('info'), { label: 'Log level' }),
    resolvers: hint(ResolverSettings.prefault({}), {
      label: 'DNS for discovered servers',
      advanced: true,
    }),
    admin: AdminEndpoint.default({
      enabled: true,
      address: '127.0.0.1',
      port: 8404,
      statsPage: true,
      statsPath: '/stats',
      prometheus: true,
      prometheusPath: '/metrics',
    }),
  })
  .strict();

/**
 * Generations stored before ADR 0014 carry `hardStopAfterMs` (60 s by default) and
 * `mworkerMaxReloads` 50: the grace now follows the tunnel timeouts and the reload count is only a
 * net, so the old defaults are dropped, and any other grace is kept.
 */
export const GlobalSettings = z.preprocess((input) => {
  if (input === null || typeof input !== 'object') return input;
  const { hardStopAfterMs, ...rest } = input as Record<string, unknown>;
  // The old reload-count default cut long connections through a burst of applies: it goes too.
  if (rest.mworkerMaxReloads === 50) delete rest.mworkerMaxReloads;
  return hardStopAfterMs === undefined || hardStopAfterMs === 60_000 || 'oldWorkerGraceMs' in rest
    ? rest
    : { ...rest, oldWorkerGraceMs: hardStopAfterMs };
}, GlobalSettingsShape);
export type GlobalSettings = z.output<typeof GlobalSettingsShape>;
