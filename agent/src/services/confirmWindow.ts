import { TandemError, type PendingConfirm } from '@tandem/core';
import type { EventStore } from '../store/eventStore.js';

export type { PendingConfirm };

/**
 * Confirm-or-rollback (design rule 10): a change that could cut the operator off runs at once,
 * and is undone unless confirmed within the window. A second risky change before the first is
 * confirmed keeps the first one's way back (to where the operator last could reach the unit)
 * and a fresh window.
 */
export function createConfirmWindow(o: {
  windowMs: number;
  now: () => number;
  events: Pick<EventStore, 'add'>;
  log: (m: string) => void;
}) {
  const pending = new Map<
    string,
    PendingConfirm & { revert: () => Promise<void>; timer: NodeJS.Timeout }
  >();
  const event = (severity: 'info' | 'warning' | 'error', message: string) =>
    o.events.add({ at: o.now(), kind: 'apply', severity, subject: 'confirm', message });

  const expire = async (key: string) => {
    const p = pending.get(key);
    if (!p) return;
    pending.delete(key);
    event(
      'warning',
      `not confirmed within ${Math.round(o.windowMs / 1000)} s (${p.reasons.join('; ')}): rolling back`,
    );
    try {
      await p.revert();
      event('info', `rolled back: ${p.reasons.join('; ')}`);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      o.log(`rollback of ${key} failed: ${message}`);
      event('error', `the rollback failed: ${message}`);
    }
  };

  return {
    arm(key: string, reasons: string[], revert: () => Promise<void>): PendingConfirm {
      const earlier = pending.get(key);
      if (earlier) clearTimeout(earlier.timer);
      const until = o.now() + o.windowMs;
      const timer = setTimeout(() => void expire(key), o.windowMs);
      timer.unref();
      const all = [...new Set([...(earlier?.reasons ?? []), ...reasons])];
      pending.set(key, { key, until, reasons: all, revert: earlier?.revert ?? revert, timer });
      event(
        'warning',
        `waiting ${Math.round(o.windowMs / 1000)} s for the console to confirm: ${all.join('; ')}`,
      );
      return { key, until, reasons: all };
    },
    confirm(key: string, author: string): PendingConfirm {
      const p = pending.get(key);
      if (!p)
        throw new TandemError(
          'not_found',
          'nothing waits for a confirmation (too late: it was rolled back?)',
        );
      clearTimeout(p.timer);
      pending.delete(key);
      event('info', `${author} confirmed: ${p.reasons.join('; ')}`);
      return { key, until: p.until, reasons: p.reasons };
    },
    pending: (): PendingConfirm[] =>
      [...pending.values()].map(({ key, until, reasons }) => ({ key, until, reasons })),
    stop() {
      for (const p of pending.values()) clearTimeout(p.timer);
    },
  };
}
export type ConfirmWindow = ReturnType<typeof createConfirmWindow>;
