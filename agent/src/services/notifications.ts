import { readFile } from 'node:fs/promises';
import {
  NotificationSettings,
  parseRequest,
  SEVERITIES,
  TandemError,
  type EventRow,
  type Webhook,
  type WebhookState,
} from '@tandem/core';

/** One POST of JSON: the HTTP status, or throws (network, timeout). An adapter. */
export type PostJson = (url: string, body: unknown) => Promise<number>;

/** Waits after each failed delivery (then gives up): about half a minute in all. */
const RETRY_MS = [1_000, 2_000, 4_000, 8_000, 16_000];

const rank = (s: string) => SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]);

/**
 * Notifications by webhook (issue 18): each event the unit records goes, as JSON, to every
 * webhook that asked for its kind at its severity, retried with growing waits when the receiver
 * fails (5xx, no answer); what happened per webhook is kept for the console. A delivery never
 * adds an event itself (that would feed on itself).
 */
export function createNotifications(d: {
  stateFile: string;
  write: (path: string, content: string, mode: number) => Promise<void>;
  post: PostJson;
  unit: string;
  now: () => number;
  log: (m: string) => void;
  sleep?: (ms: number) => Promise<void>;
}) {
  const sleep = d.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let settings: NotificationSettings = { webhooks: [] };
  const states = new Map<string, WebhookState>();
  const stateOf = (name: string) => {
    let s = states.get(name);
    if (!s) states.set(name, (s = { name, delivered: 0, failed: 0, lastError: null }));
    return s;
  };
  const payload = (e: Omit<EventRow, 'id'> & { id?: number }) => ({
    unit: d.unit,
    event: {
      at: new Date(e.at).toISOString(),
      kind: e.kind,
      severity: e.severity,
      subject: e.subject,
      message: e.message,
    },
  });
  /** One delivery with its retries; a 4xx is the receiver saying no: not retried. */
  const deliver = async (w: Webhook, body: unknown, retries: readonly number[]) => {
    const s = stateOf(w.name);
    for (let i = 0; ; i++) {
      let why: string;
      try {
        const status = await d.post(w.url, body);
        if (status >= 200 && status < 300) {
          s.delivered++;
          s.lastError = null;
          return;
        }
        why = `answered ${status}`;
        if (status < 500) i = retries.length;
      } catch (e) {
        why = e instanceof Error ? e.message : String(e);
      }
      if (i >= retries.length) {
        s.failed++;
        s.lastError = why;
        d.log(`webhook ${w.name}: not delivered (${why})`);
        throw new TandemError('bad_request', `webhook ${w.name} ${why}`);
      }
      await sleep(retries[i] ?? 0);
    }
  };

  return {
    async load(): Promise<void> {
      const text = await readFile(d.stateFile, 'utf8').catch(() => null);
      if (text) settings = NotificationSettings.parse(JSON.parse(text));
    },
    settings: () => settings,
    status: (): WebhookState[] => settings.webhooks.map((w) => stateOf(w.name)),
    async setSettings(body: unknown): Promise<NotificationSettings> {
      const s = parseRequest(NotificationSettings, body);
      await d.write(d.stateFile, `${JSON.stringify(s, null, 2)}\n`, 0o600);
      settings = s;
      return s;
    },
    /** An event recorded: sent to each webhook that wants it, in the background. */
    onEvent(e: EventRow): void {
      for (const w of settings.webhooks)
        if (w.kinds.includes(e.kind) && rank(e.severity) >= rank(w.minSeverity))
          void deliver(w, payload(e), RETRY_MS).catch(() => undefined);
    },
    /** "Send a test": one delivery now, no retries; the receiver's answer or why it failed. */
    async test(name: string): Promise<{ delivered: true }> {
      const w = settings.webhooks.find((x) => x.name === name);
      if (!w) throw new TandemError('not_found', `no webhook named ${name}`);
      await deliver(
        w,
        payload({
          at: d.now(),
          kind: w.kinds[0] ?? 'agent',
          severity: 'info',
          subject: `unit ${d.unit}`,
          message: `a test from ${d.unit}`,
        }),
        [],
      );
      return { delivered: true };
    },
  };
}
export type Notifications = ReturnType<typeof createNotifications>;
