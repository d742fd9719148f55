/**
 * Polling that never overlaps: the next call is scheduled only once the previous one has
 * settled, so a slow agent (a reload on a busy board) gets fewer requests, not a pile of them.
 * A failed call waits like a good one (the agent may be restarting). Pure of React; the pages
 * use it through usePoll.
 */
export function startPoller(
  fn: () => Promise<unknown>,
  intervalMs: number,
  timers: {
    set: (cb: () => void, ms: number) => unknown;
    clear: (t: unknown) => void;
  } = { set: (cb, ms) => setTimeout(cb, ms), clear: (t) => clearTimeout(t as number) },
): () => void {
  let stopped = false;
  let timer: unknown = null;
  const tick = () => {
    timer = null;
    void fn()
      .catch(() => undefined)
      .then(() => {
        if (!stopped) timer = timers.set(tick, intervalMs);
      });
  };
  tick();
  return () => {
    stopped = true;
    if (timer !== null) timers.clear(timer);
  };
}
