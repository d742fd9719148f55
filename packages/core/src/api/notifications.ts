import { z } from 'zod';
import { Name } from '../grammar/names.js';
import { EventQuery } from './statsQuery.js';

const EventKinds = EventQuery.shape.kind.unwrap();
export const SEVERITIES = ['info', 'warning', 'error'] as const;

/**
 * A webhook (issue 18): events of the chosen kinds, at or above a severity, POSTed as JSON to a
 * URL, retried on failure. Kinds cover what people want to hear of: `certificate` (expiring,
 * renewal failed), `vrrp` (takeovers, split brain), `apply` (failed applies), `sync` (the peer out
 * of sync), `agent` (log lines lost, restarts).
 */
export const Webhook = z
  .object({
    name: Name,
    url: z
      .string()
      .max(2000)
      .regex(/^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?(?:\/[\x21-\x7e]*)?$/, {
        error: 'must be an http:// or https:// URL',
      }),
    kinds: z.array(EventKinds).min(1, { error: 'must name at least one kind of event' }),
    minSeverity: z.enum(SEVERITIES).default('warning'),
  })
  .strict();
export type Webhook = z.output<typeof Webhook>;

export const NotificationSettings = z
  .object({ webhooks: z.array(Webhook).max(10, { error: 'at most 10 webhooks' }) })
  .strict()
  .refine((s) => new Set(s.webhooks.map((w) => w.name)).size === s.webhooks.length, {
    error: 'webhook names must differ',
    path: ['webhooks'],
  });
export type NotificationSettings = z.output<typeof NotificationSettings>;

/** How each webhook's deliveries have gone (GET /v1/notifications). */
export interface WebhookState {
  name: string;
  delivered: number;
  failed: number;
  lastError: string | null;
}
