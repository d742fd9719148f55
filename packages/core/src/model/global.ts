import { z } from 'zod';
import { PasswordHash, UserName } from '../grammar/names.js';
import { IpAddress, Port } from '../grammar/network.js';
import { DurationMs, IntRange, UrlPath } from '../grammar/text.js';
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

export const GlobalSettings = z
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
    // Bounds how long an old worker may keep serving long-lived connections after a reload, so
    // a burst of reloads cannot pile up old processes on a 1 GB board.
    hardStopAfterMs: hint(DurationMs(1_000, 86_400_000).default(60_000), {
      label: 'Old worker grace',
      help: 'After a reload, connections still open on the old process are closed after this time',
      unit: 'ms',
      advanced: true,
    }),
    // The master keeps a worker alive per reload until its connections end; past this many
    // reloads the oldest are killed (a safety net behind hard-stop-after).
    mworkerMaxReloads: hint(IntRange(1, 1000).default(50), {
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
export type GlobalSettings = z.output<typeof GlobalSettings>;
