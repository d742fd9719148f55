import type { OpenRingTap, RingTap } from '../adapters/ringTap.js';

/** What the tap needs of the log ingest: where the ring's TCP forwarder left off, per worker. */
export interface ForwardedLines {
  /** The last line the forwarder delivered from this worker (null: none yet). */
  lastLineOf(pid: number): string | null;
  /** Whether the forwarder's connection from this worker is still open. */
  forwarding(pid: number): boolean;
  push(lines: readonly string[]): void;
  /**
   * Read forwarded lines as they come rather than paced, while a reload is under way: HAProxy may
   * reset the old worker's forwarder connection, and lines still unread in the socket would go
   * with it, from before the tap attached (ADR 0017).
   */
  readEagerly(on: boolean): void;
}

export interface ReloadLogTapDeps {
  open: OpenRingTap;
  ingest: ForwardedLines;
  /** Client connections of a worker (`show info` CurrConns), null once it has exited. */
  connections(pid: number): Promise<number | null>;
  log: (m: string) => void;
  /** How often an old worker is looked at (ms). */
  pollMs?: number;
}

interface Tap {
  tap: RingTap;
  /** Lines seen while the forwarder still ran: they may be duplicates of forwarded ones. */
  overlap: string[];
  settled: boolean;
  lastDataAt: number;
  timer: NodeJS.Timeout | null;
}

/**
 * No log line lost at a reload (issue 12). HAProxy's ring forwarder closes the moment a worker
 * is told to stop (haproxy#3436), while that worker still finishes its in-flight requests and
 * logs them into a ring nobody reads any more: one or more lines lost per reload under traffic.
 *
 * So just before each reload the agent taps the current worker's ring on the stats socket (only
 * the current worker can be reached there), reading every line from then on. While the forwarder
 * still runs, both see the same lines in the same order; once the forwarder's connection from
 * that worker closes, the tap drops what the forwarder already delivered (up to its last line)
 * and passes on the rest. The tap keeps the old worker alive, so it is closed once the worker has
 * no client connections left and its last lines have arrived.
 */
export function createReloadLogTap(deps: ReloadLogTapDeps) {
  const taps = new Map<number, Tap>();
  const pollMs = deps.pollMs ?? 250;

  const settle = (t: Tap) => {
    if (t.settled || deps.ingest.forwarding(t.tap.pid)) return;
    const last = deps.ingest.lastLineOf(t.tap.pid);
    const at = last === null ? -1 : t.overlap.lastIndexOf(last);
    const fresh = t.overlap.slice(at + 1);
    if (fresh.length > 0) deps.ingest.push(fresh);
    t.overlap = [];
    t.settled = true;
  };

  const end = (pid: number) => {
    const t = taps.get(pid);
    if (!t) return;
    if (t.timer) clearInterval(t.timer);
    taps.delete(pid);
    settle(t);
    if (taps.size === 0) deps.ingest.readEagerly(false);
  };

  /** An old worker with no client connections has logged its last line: let it go. */
  const watch = (t: Tap) => {
    let busy = false;
    t.timer = setInterval(() => {
      if (busy) return;
      busy = true;
      settle(t);
      void deps
        .connections(t.tap.pid)
        .then((n) => {
          // Its last lines were written before its last connection closed; give them one
          // poll interval of quiet on the tap to arrive, then close.
          if (n === null || (n === 0 && Date.now() - t.lastDataAt >= pollMs)) {
            end(t.tap.pid);
            t.tap.close();
          }
        })
        .catch(() => undefined)
        .finally(() => (busy = false));
    }, pollMs);
    t.timer.unref();
  };

  return {
    /** Before a reload: attach to the worker that is about to become old. */
    async beforeReload(): Promise<void> {
      deps.ingest.readEagerly(true);
      let tap: RingTap;
      try {
        tap = await deps.open();
      } catch (e) {
        deps.log(`log tap not attached: ${e instanceof Error ? e.message : String(e)}`);
        if (taps.size === 0) deps.ingest.readEagerly(false);
        return;
      }
      if (taps.has(tap.pid)) return tap.close();
      const t: Tap = { tap, overlap: [], settled: false, lastDataAt: Date.now(), timer: null };
      taps.set(tap.pid, t);
      tap.onLines((lines) => {
        t.lastDataAt = Date.now();
        if (t.settled) deps.ingest.push(lines);
        else t.overlap.push(...lines);
      });
      tap.onEnd(() => end(tap.pid));
    },
    /** After the reload: the tapped worker is old now; watch it until it is done. */
    afterReload(previousPid: number | undefined): void {
      for (const t of taps.values()) if (t.timer === null) watch(t);
      if (previousPid !== undefined && !taps.has(previousPid))
        deps.log(`no log tap on the previous worker ${previousPid}`);
    },
    /** The reload did not happen: the tapped worker is still current and its forwarder runs. */
    cancel(): void {
      for (const [pid, t] of taps) {
        if (t.timer !== null) continue;
        taps.delete(pid);
        t.tap.close();
      }
      if (taps.size === 0) deps.ingest.readEagerly(false);
    },
    /** Old workers whose lines are still being read. */
    open: () => [...taps.keys()],
    close(): void {
      for (const t of taps.values()) {
        if (t.timer) clearInterval(t.timer);
        t.tap.close();
      }
      taps.clear();
    },
  };
}
export type ReloadLogTap = ReturnType<typeof createReloadLogTap>;
