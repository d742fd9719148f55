/**
 * A job that runs in the background, on a heartbeat and whenever something asks for it, never
 * twice at once: a caller that finds it running waits for it, and it runs once more for that
 * caller, so an answer never reports an older state. Failures back off (1 s doubling to a cap).
 */
export function createBackgroundLoop(o: {
  round: () => Promise<void>;
  heartbeatMs: number;
  maxBackoffMs: number;
  onError: (e: unknown) => void;
  /** After each run of rounds, before the next is scheduled. */
  onIdle?: () => void;
}) {
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> | null = null;
  let again = false;
  let stopped = true;
  let backoff = 0;

  const schedule = (ms: number) => {
    if (timer) clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(() => void run(), ms);
    timer.unref();
  };
  const run = (): Promise<void> => {
    if (current) {
      again = true;
      return current;
    }
    current = (async () => {
      do {
        again = false;
        try {
          await o.round();
          backoff = 0;
        } catch (e) {
          o.onError(e);
          backoff = Math.min(o.maxBackoffMs, Math.max(1000, backoff * 2));
        }
      } while (again);
    })().finally(() => {
      current = null;
      o.onIdle?.();
      schedule(backoff || o.heartbeatMs);
    });
    return current;
  };

  return {
    start() {
      stopped = false;
      schedule(0);
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
    /** Runs now (or once more after the run in progress) and waits for it. */
    run,
    /** Asks for another round from inside one (it follows at once, not at the heartbeat). */
    again: () => void (again = true),
    /** Runs now in the background when started; nothing before start (tests run it by hand). */
    kick: () => void (stopped ? undefined : run()),
  };
}
