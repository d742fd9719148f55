import type { EventInput, StoredCertificate } from '@tandem/core';
import { describe, expect, it } from 'vitest';
import { createCertificateExpiry } from './certificateExpiry.js';

const DAY = 86_400_000;
const cert = (name: string, notAfter: number, fingerprint = name): StoredCertificate => ({
  name,
  subject: `CN=${name}`,
  issuer: 'CN=ca',
  names: `DNS:${name}`,
  notBefore: new Date(0).toISOString(),
  notAfter: new Date(notAfter).toISOString(),
  fingerprint,
  chain: 0,
  selfSigned: false,
  usedBy: ['web'],
});

describe('certificate expiry events', () => {
  it('says so at 21 days, again at each step, more urgently from 7, and once expired', () => {
    let now = 0;
    const events: EventInput[] = [];
    let list = [cert('shop', 30 * DAY), cert('far', 400 * DAY)];
    const expiry = createCertificateExpiry({
      list: () => list,
      now: () => now,
      events: { add: (e) => void events.push(e) },
    });
    const at = (day: number) => {
      now = day * DAY;
      return expiry.check();
    };
    expect(at(0)).toBe(0);
    expect(at(9)).toBe(1); // 21 days left
    expect(events.at(-1)).toMatchObject({
      kind: 'certificate',
      severity: 'warning',
      message: 'certificate shop expires in 21 days (1970-01-31), used by web',
    });
    expect(at(10)).toBe(0); // 20 days: the same step, nothing new
    expect(at(17)).toBe(1); // 13 days: past 14
    expect(at(23)).toBe(1); // 7 days: an error from now on
    expect(events.at(-1)?.severity).toBe('error');
    expect(at(29)).toBe(1); // 1 day
    expect(events.at(-1)?.message).toMatch(/expires in 1 day \(/);
    expect(at(31)).toBe(1);
    expect(events.at(-1)?.message).toBe('certificate shop expired on 1970-01-31, used by web');
    expect(at(40)).toBe(0);
    // Replaced by one that is just as close: a new fingerprint, said afresh.
    list = [cert('shop', 50 * DAY, 'renewed')];
    expect(at(40)).toBe(1);
    expect(events.map((e) => e.subject)).not.toContain('certificate far');
  });

  it('in a pair, is said by the unit that speaks for the certificate, and by the other after a failover', () => {
    const events: EventInput[] = [];
    let holder = false;
    const expiry = createCertificateExpiry({
      list: () => [cert('shop', 10 * DAY)],
      now: () => 0,
      events: { add: (e) => void events.push(e) },
      speaksFor: () => holder,
    });
    expect(expiry.check()).toBe(0);
    holder = true;
    expect(expiry.check()).toBe(1);
    expect(events[0]?.message).toMatch(/^certificate shop expires in 10 days/);
  });
});
