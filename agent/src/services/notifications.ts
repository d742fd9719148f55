import { readFile } from 'node:fs/promises';
import {
  NotificationSettings,
  parseRequest,
  SEVERITIES,
  TandemError,
  type EmailTarget,
  type EventRow,
  type NotificationSettingsView,
  type SharedNotifications,
  supersedes,
  type Webhook,
  type WebhookState,
} from '@tandem/core';
import { MailError, type SendMail } from '../adapters/sendMail.js';

/** One POST of JSON: the HTTP status, or throws (network, timeout). An adapter. */
export type PostJson = (url: string, body: unknown) => Promise<number>;

/** How one attempt went: delivered, or why not and whether trying again may help. */
type Attempt = { ok: true } | { ok: false; why: string; retry: boolean };
type Event = Omit<EventRow, 'id'> & { id?: number };

/** Waits after each failed delivery (then gives up): about half a minute in all. */
const RETRY_MS = [1_000, 2_000, 4_000, 8_000, 16_000];

const rank = (s: string) => SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]);

/**
 * Notifications (issue 18): each event the unit records goes to every webhook (as JSON) and
 * every email list (through the unit's SMTP server) that asked for its kind at its severity,
 * retried with growing waits when the receiver fails for now (5xx, SMTP 4xx, no answer); what
 * happened per target is kept for the console. A delivery never adds an event itself (that
 * would feed on itself).
 */
export function createNotifications(d: {
  stateFile: string;
  write: (path: string, content: string, mode: number) => Promise<void>;
  post: PostJson;
  mail: SendMail;
  unit: string;
  now: () => number;
  log: (m: string) => void;
  sleep?: (ms: number) => Promise<void>;
}) {
  const sleep = d.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let settings: NotificationSettings = { webhooks: [], smtp: null, emails: [] };
  /** When and where the settings last changed (null: never set); the pair compares it. */
  let changed: { at: number; unit: string } | null = null;
  const listeners = new Set<() => void>();
  const keep = async (s: NotificationSettings, stamp: { at: number; unit: string }) => {
    await d.write(
      d.stateFile,
      `${JSON.stringify({ settings: s, changed: stamp }, null, 2)}\n`,
      0o600,
    );
    settings = s;
    changed = stamp;
    for (const l of listeners) l();
  };
  const states = new Map<string, WebhookState>();
  const stateOf = (name: string) => {
    let s = states.get(name);
    if (!s) states.set(name, (s = { name, delivered: 0, failed: 0, lastError: null }));
    return s;
  };
  const payload = (e: Event) => ({
    unit: d.unit,
    event: {
      at: new Date(e.at).toISOString(),
      kind: e.kind,
      severity: e.severity,
      subject: e.subject,
      message: e.message,
    },
  });
  const viaWebhook = (w: Webhook, e: Event) => async (): Promise<Attempt> => {
    try {
      const status = await d.post(w.url, payload(e));
      if (status >= 200 && status < 300) return { ok: true };
      // A 4xx is the receiver saying no: not retried.
      return { ok: false, why: `answered ${status}`, retry: status >= 500 };
    } catch (x) {
      return { ok: false, why: x instanceof Error ? x.message : String(x), retry: true };
    }
  };
  const viaEmail = (t: EmailTarget, e: Event) => async (): Promise<Attempt> => {
    const smtp = settings.smtp;
    if (!smtp) return { ok: false, why: 'no mail server is set', retry: false };
    try {
      await d.mail(smtp, {
        to: t.to,
        subject: `[${d.unit}] ${e.severity}: ${e.subject}`,
        text: [
          e.message,
          '',
          `unit:     ${d.unit}`,
          `kind:     ${e.kind}`,
          `severity: ${e.severity}`,
          `at:       ${new Date(e.at).toISOString()}`,
        ].join('\n'),
      });
      return { ok: true };
    } catch (x) {
      const why = x instanceof Error ? x.message : String(x);
      // SMTP 5xx is the server's final no (a refused address): not retried.
      return { ok: false, why, retry: !(x instanceof MailError && x.permanent) };
    }
  };
  /** One delivery with its retries, counted under the target's name. */
  const deliver = async (
    label: string,
    name: string,
    attempt: () => Promise<Attempt>,
    retries: readonly number[],
  ) => {
    const s = stateOf(name);
    for (let i = 0; ; i++) {
      const r = await attempt();
      if (r.ok) {
        s.delivered++;
        s.lastError = null;
        return;
      }
      if (!r.retry || i >= retries.length) {
        s.failed++;
        s.lastError = r.why;
        d.log(`${label} ${name}: not delivered (${r.why})`);
        throw new TandemError('bad_request', `${label} ${name}: ${r.why}`);
      }
      await sleep(retries[i] ?? 0);
    }
  };
  const wants = (t: { kinds: readonly string[]; minSeverity: string }, e: Event) =>
    t.kinds.includes(e.kind) && rank(e.severity) >= rank(t.minSeverity);
  /** The settings as answered: the SMTP password only as "set". */
  const view = (s: NotificationSettings): NotificationSettingsView => {
    if (!s.smtp) return { ...s, smtp: null };
    const { password, ...smtp } = s.smtp;
    return { ...s, smtp: { ...smtp, passwordSet: password !== undefined } };
  };

  return {
    async load(): Promise<void> {
      const text = await readFile(d.stateFile, 'utf8').catch(() => null);
      if (!text) return;
      const kept = JSON.parse(text) as { settings?: unknown; changed?: typeof changed };
      // Files from before the pair shared them hold the settings alone: the oldest change
      // there can be, so they reach a peer that has none and give way to any made since.
      if (kept.settings === undefined) {
        settings = NotificationSettings.parse(kept);
        changed = { at: 0, unit: d.unit };
      } else {
        settings = NotificationSettings.parse(kept.settings);
        changed = kept.changed ?? null;
      }
    },
    settings: (): NotificationSettingsView => view(settings),
    status: (): WebhookState[] =>
      [...settings.webhooks, ...settings.emails].map((w) => stateOf(w.name)),
    /**
     * New settings (kept 0600: the SMTP password is in them). A PUT without the password keeps
     * the one kept for the same user name: the console never has it to send back.
     */
    async setSettings(body: unknown): Promise<NotificationSettingsView> {
      const s = parseRequest(NotificationSettings, body);
      if (s.smtp && s.smtp.password === undefined && s.smtp.username !== undefined) {
        const kept =
          settings.smtp?.username === s.smtp.username ? settings.smtp.password : undefined;
        if (kept === undefined)
          throw new TandemError('bad_request', 'the mail server needs the password', [
            { path: 'smtp.password', message: 'is required with a user name' },
          ]);
        s.smtp = { ...s.smtp, password: kept };
      }
      await keep(s, { at: d.now(), unit: d.unit });
      return view(s);
    },
    /** Hears of every change of the settings, here or from the peer. */
    onChanged(l: () => void): () => void {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    /** The settings as the pair shares them (the password included); null: never set. */
    shared: (): SharedNotifications | null => (changed ? { value: settings, ...changed } : null),
    /** The peer's settings, if the later change. */
    async takeShared(doc: SharedNotifications): Promise<boolean> {
      if (!supersedes(doc, changed)) return false;
      await keep(doc.value, { at: doc.at, unit: doc.unit });
      d.log(`notification settings taken from ${doc.unit}`);
      return true;
    },
    /** An event recorded: sent to each webhook and email list that wants it, in the background. */
    onEvent(e: EventRow): void {
      for (const w of settings.webhooks)
        if (wants(w, e))
          void deliver('webhook', w.name, viaWebhook(w, e), RETRY_MS).catch(() => undefined);
      for (const t of settings.emails)
        if (wants(t, e))
          void deliver('email list', t.name, viaEmail(t, e), RETRY_MS).catch(() => undefined);
    },
    /** "Send a test": one delivery now, no retries; the receiver's answer or why it failed. */
    async test(name: string): Promise<{ delivered: true }> {
      const target = [...settings.webhooks, ...settings.emails].find((x) => x.name === name);
      if (!target) throw new TandemError('not_found', `no webhook or email list named ${name}`);
      const e: Event = {
        at: d.now(),
        kind: target.kinds[0] ?? 'agent',
        severity: 'info',
        subject: `unit ${d.unit}`,
        message: `a test from ${d.unit}`,
      };
      if ('url' in target) await deliver('webhook', name, viaWebhook(target, e), []);
      else await deliver('email list', name, viaEmail(target, e), []);
      return { delivered: true };
    },
  };
}
export type Notifications = ReturnType<typeof createNotifications>;
