import {
  daysLeft,
  EXPIRY_WARNING_DAYS,
  type EventInput,
  type StoredCertificate,
} from '@tandem/core';

/** The days at which a coming expiry is said again: each a little more urgent. */
const STEPS = [EXPIRY_WARNING_DAYS, 14, 7, 3, 1, 0];

/**
 * Certificates near their end, as events (issue 18): one when a certificate is within
 * EXPIRY_WARNING_DAYS of expiring, again at 14, 7, 3 and 1 days and when it has expired, a
 * warning first and an error from 7 days. Each certificate is known by its fingerprint, so a
 * replacement starts afresh and a restart says the current step once more. In a pair only the
 * unit that issues a certificate (the VIP holder, ADR 0021) says it, so people are told once;
 * after a failover the new holder says it.
 */
export function createCertificateExpiry(d: {
  list: () => StoredCertificate[];
  now: () => number;
  events: { add: (e: EventInput) => void };
  /** Whether this unit speaks for certificate `name` (its peer does when it holds the VIP). */
  speaksFor?: (name: string) => boolean;
}) {
  const said = new Map<string, number>();
  return {
    /** Looks at every stored certificate; answers the events it added. */
    check(): number {
      let added = 0;
      for (const c of d.list()) {
        const left = daysLeft(c.notAfter, d.now());
        if (left > EXPIRY_WARNING_DAYS || d.speaksFor?.(c.name) === false) continue;
        // The last step crossed: 12 days left is past 14; an expired one is past 0.
        const step = left < 0 ? -1 : Math.min(...STEPS.filter((s) => s >= left));
        if ((said.get(c.fingerprint) ?? Infinity) <= step) continue;
        said.set(c.fingerprint, step);
        const users = c.usedBy.length ? `, used by ${c.usedBy.join(', ')}` : ', not used';
        d.events.add({
          at: d.now(),
          kind: 'certificate',
          severity: left <= 7 ? 'error' : 'warning',
          subject: `certificate ${c.name}`,
          message:
            left < 0
              ? `certificate ${c.name} expired on ${c.notAfter.slice(0, 10)}${users}`
              : `certificate ${c.name} expires in ${left} day${left === 1 ? '' : 's'} (${c.notAfter.slice(0, 10)})${users}`,
        });
        added++;
      }
      return added;
    },
  };
}
