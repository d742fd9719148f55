/**
 * Sign-in throttle (issue 17). Failures are counted three ways: per account and source together,
 * per source (one address trying many accounts), and per account (many addresses trying one).
 * Past a few free failures each count makes the next attempt wait, doubling up to a cap, and the
 * count is forgotten a window after its last failure. The per-account count only ever delays
 * sources that have themselves failed on that account: whoever floods the console can slow
 * their own guesses but never keep the owner, at an address that has not failed, out.
 *
 * `attempt` is the check and the count in one synchronous step: an allowed attempt is counted as
 * a failure before the password is verified and undone if it turns out right, so parallel
 * attempts meet the same limit as sequential ones. Pure: the caller passes the time.
 */
export interface ThrottleOptions {
  /** Failures allowed before a pair (account and source) waits. */
  freePair?: number;
  /** Failures allowed before a source or an account waits (spread over many pairs). */
  freeWide?: number;
  /** The first wait; each further failure doubles it. */
  baseMs?: number;
  maxMs?: number;
  /** A count is forgotten this long after its last failure. */
  windowMs?: number;
  /** Counts kept at most; past it the weakest (fewest failures) go first. */
  maxEntries?: number;
}

interface Count {
  failures: number;
  last: number;
}

export type AttemptVerdict =
  | {
      ok: true;
      settle: (success: boolean) => void;
      /**
       * Neither a failure nor a success: the password was right and the second factor is still
       * to come. This attempt's count is taken back; earlier failures stand (a success would
       * clear them, which would let a wrong code be retried for free after each password).
       */
      release: () => void;
    }
  | { ok: false; waitMs: number };

export class LoginThrottle {
  private readonly counts = new Map<string, Count>();
  private readonly o: Required<ThrottleOptions>;

  constructor(o: ThrottleOptions = {}) {
    this.o = {
      freePair: 3,
      freeWide: 10,
      baseMs: 1_000,
      maxMs: 15 * 60_000,
      windowMs: 60 * 60_000,
      maxEntries: 10_000,
      ...o,
    };
  }

  /** One sign-in attempt for `account` from `source`: refused with the wait, or counted. */
  attempt(account: string, source: string, now: number): AttemptVerdict {
    const keys = {
      pair: `p\n${account}\n${source}`,
      source: `s\n${source}`,
      account: `a\n${account}`,
    };
    const pair = this.current(keys.pair, now);
    // A source with no failure on this account is never held back by the account's count.
    const wait = Math.max(
      this.waitOf(pair, this.o.freePair, now),
      this.waitOf(this.current(keys.source, now), this.o.freeWide, now),
      pair ? this.waitOf(this.current(keys.account, now), this.o.freeWide, now) : 0,
    );
    if (wait > 0) return { ok: false, waitMs: wait };
    for (const k of Object.values(keys)) this.fail(k, now);
    let settled = false;
    return {
      ok: true,
      settle: (success) => {
        if (settled || !success) return;
        settled = true;
        // The right password: the pair and the account start over; the source's other failures
        // (other accounts, attempts still in flight) stand, minus this one.
        this.counts.delete(keys.pair);
        this.counts.delete(keys.account);
        this.takeBack(keys.source);
      },
      release: () => {
        if (settled) return;
        settled = true;
        for (const k of Object.values(keys)) this.takeBack(k);
      },
    };
  }

  /** How many counts are kept (bounded by maxEntries). */
  get size(): number {
    return this.counts.size;
  }

  private current(key: string, now: number): Count | undefined {
    const c = this.counts.get(key);
    if (c && now - c.last >= this.o.windowMs) {
      this.counts.delete(key);
      return undefined;
    }
    // The clock stepped back (NTP's first answer on a board without a battery): a failure "in the
    // future" would hold its account for the whole step, a day if the clock moved a day. It counts
    // as just now instead, so a wait is never longer than the delay itself.
    if (c && c.last > now) c.last = now;
    return c;
  }

  /** Milliseconds until a key with this count may try again. */
  private waitOf(c: Count | undefined, free: number, now: number): number {
    if (!c || c.failures < free) return 0;
    const delay = Math.min(this.o.maxMs, this.o.baseMs * 2 ** Math.min(30, c.failures - free));
    return Math.max(0, c.last + delay - now);
  }

  /** One failure fewer for `key` (gone at none). */
  private takeBack(key: string): void {
    const c = this.counts.get(key);
    if (c && c.failures > 1) c.failures--;
    else this.counts.delete(key);
  }

  private fail(key: string, now: number): void {
    const c = this.current(key, now);
    this.counts.set(key, { failures: (c?.failures ?? 0) + 1, last: now });
    if (this.counts.size > this.o.maxEntries) this.shed(now);
  }

  /**
   * Bounded memory against a flood of names and addresses: expired counts go, then the weakest
   * tenth. A count under attack has many failures, so flooding cannot push it out.
   */
  private shed(now: number): void {
    for (const [k, c] of this.counts) if (now - c.last >= this.o.windowMs) this.counts.delete(k);
    if (this.counts.size <= this.o.maxEntries * 0.9) return;
    const weakest = [...this.counts].sort((a, b) => a[1].failures - b[1].failures);
    for (const [k] of weakest.slice(0, this.counts.size - Math.floor(this.o.maxEntries * 0.9)))
      this.counts.delete(k);
  }
}
