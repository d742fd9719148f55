import { z } from 'zod';
import { Name } from '../grammar/names.js';
import { EmailAddress, HostName, Port } from '../grammar/network.js';
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

/**
 * The mail server notifications go through (SMTP submission). `starttls` (port 587) and `tls`
 * (465) verify the server's certificate against the system's CAs; `none` is for a relay on the
 * unit's own network and cannot carry a password (it would cross the network in clear). The
 * password is never answered back: absent in a PUT, the one kept is kept.
 */
export const SmtpSettings = z
  .object({
    host: HostName,
    port: Port.default(587),
    security: z.enum(['starttls', 'tls', 'none']).default('starttls'),
    username: z
      .string()
      .min(1)
      .max(254)
      .regex(/^[\x21-\x7e]+$/, { error: 'must be printable, no spaces' })
      .optional(),
    password: z.string().min(1).max(1024).optional(),
    from: EmailAddress,
  })
  .strict()
  .refine((s) => s.security !== 'none' || s.username === undefined, {
    error: 'a password cannot go in clear: choose starttls or tls',
    path: ['security'],
  });
export type SmtpSettings = z.output<typeof SmtpSettings>;

/** Email to a list of people for the chosen events, through the SMTP server above. */
export const EmailTarget = z
  .object({
    name: Name,
    to: z
      .array(EmailAddress)
      .min(1, { error: 'must name at least one address' })
      .max(10, { error: 'at most 10 addresses' }),
    kinds: z.array(EventKinds).min(1, { error: 'must name at least one kind of event' }),
    minSeverity: z.enum(SEVERITIES).default('warning'),
  })
  .strict();
export type EmailTarget = z.output<typeof EmailTarget>;

export const NotificationSettings = z
  .object({
    webhooks: z.array(Webhook).max(10, { error: 'at most 10 webhooks' }),
    smtp: SmtpSettings.nullable().default(null),
    emails: z.array(EmailTarget).max(10, { error: 'at most 10 email lists' }).default([]),
  })
  .strict()
  .refine(
    (s) => {
      const names = [...s.webhooks, ...s.emails].map((w) => w.name);
      return new Set(names).size === names.length;
    },
    { error: 'webhook and email names must differ', path: ['webhooks'] },
  )
  .refine((s) => s.emails.length === 0 || s.smtp !== null, {
    error: 'email needs a mail server (smtp) first',
    path: ['smtp'],
  });
export type NotificationSettings = z.output<typeof NotificationSettings>;
export type NotificationSettingsInput = z.input<typeof NotificationSettings>;

/** What GET /v1/notifications answers of the settings: the SMTP password only as "set". */
export type NotificationSettingsView = Omit<NotificationSettings, 'smtp'> & {
  smtp: (Omit<SmtpSettings, 'password'> & { passwordSet: boolean }) | null;
};

/** How each webhook's or email list's deliveries have gone (GET /v1/notifications). */
export interface WebhookState {
  name: string;
  delivered: number;
  failed: number;
  lastError: string | null;
}

/**
 * The notification settings as a pair shares them (ADR 0021's way: one document stamped with
 * when and on which unit it last changed, the later winning), so webhooks and email are set
 * once for both units. The SMTP password travels with them, over the pinned peer link only.
 */
export const SharedNotifications = z
  .object({ value: NotificationSettings, at: z.number().int().min(0), unit: Name })
  .strict();
export type SharedNotifications = z.output<typeof SharedNotifications>;

/** GET and POST /peer/v1/settings: what the pair shares of a unit's settings. */
export const SharedSettings = z.object({ notifications: SharedNotifications.nullable() }).strict();
export type SharedSettings = z.output<typeof SharedSettings>;
