import { z } from 'zod';
import { DurationMs } from '../grammar/text.js';
import { hint } from './hints.js';

const DAY = 86_400_000;
const t = (label: string, help: string) =>
  hint(DurationMs(1, DAY).optional(), { label, help, unit: 'duration', advanced: true });

/** Client-side timeouts, set on a service's frontend. Unset means the global default. */
export const FrontendTimeouts = z
  .object({
    client: t('Client timeout', 'Inactivity allowed on the client side'),
    httpRequest: t('HTTP request timeout', 'Time allowed to receive a complete request'),
    httpKeepAlive: t('Keep-alive timeout', 'Idle time allowed between two requests'),
  })
  .strict();
export type FrontendTimeouts = z.output<typeof FrontendTimeouts>;

/** Server-side timeouts, set on a backend. `tunnel` governs WebSocket and other upgraded streams. */
export const BackendTimeouts = z
  .object({
    connect: t('Connect timeout', 'Time allowed to open a connection to a server'),
    server: t('Server timeout', 'Inactivity allowed on the server side'),
    queue: t('Queue timeout', 'Time a request may wait for a free server slot'),
    tunnel: t('Tunnel timeout', 'Inactivity allowed on WebSocket / upgraded connections'),
  })
  .strict();
export type BackendTimeouts = z.output<typeof BackendTimeouts>;

/** Defaults for every service (the `defaults` section). */
export const DefaultTimeouts = z
  .object({
    connect: DurationMs(1, DAY).default(5_000),
    client: DurationMs(1, DAY).default(30_000),
    server: DurationMs(1, DAY).default(30_000),
    httpRequest: DurationMs(1, DAY).default(10_000),
    httpKeepAlive: DurationMs(1, DAY).default(10_000),
    queue: DurationMs(1, DAY).default(30_000),
    tunnel: DurationMs(1, DAY).default(3_600_000),
    check: DurationMs(1, DAY).default(5_000),
  })
  .strict();
export type DefaultTimeouts = z.output<typeof DefaultTimeouts>;
