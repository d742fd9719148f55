/**
 * Log lines HAProxy could not hand over, summed across workers and reloads. Each worker counts
 * its own in `show info` DroppedLogs (a ring whose reader fell behind cannot overwrite unread
 * lines, so HAProxy drops the new ones and counts them); a worker's count ends with it, so the
 * total keeps what exited workers had counted. Pure: the sampler feeds it every tick.
 */
export interface DroppedLogs {
  /** Total since the agent started; `added` is what this update found new. */
  update(workers: readonly { pid: number; dropped: number }[]): { total: number; added: number };
}

export function createDroppedLogs(): DroppedLogs {
  const live = new Map<number, number>();
  /** Counts seen at the agent's start are the past, not news: each worker's first reading. */
  const baseline = new Map<number, number>();
  let retired = 0;
  let first = true;
  let total = 0;
  return {
    update(workers) {
      const seen = new Set<number>();
      for (const w of workers) {
        seen.add(w.pid);
        if (!Number.isFinite(w.dropped)) continue;
        if (!live.has(w.pid)) baseline.set(w.pid, first ? w.dropped : 0);
        live.set(w.pid, Math.max(live.get(w.pid) ?? 0, w.dropped));
      }
      first = false;
      for (const [pid, n] of live) {
        if (seen.has(pid)) continue;
        retired += n - (baseline.get(pid) ?? 0);
        live.delete(pid);
        baseline.delete(pid);
      }
      let now = retired;
      for (const [pid, n] of live) now += n - (baseline.get(pid) ?? 0);
      const added = now - total;
      total = now;
      return { total, added };
    },
  };
}
