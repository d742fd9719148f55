import { parseShowInfo, type OldWorkerPolicy } from '@tandem/core';
import type { HaproxyMaster } from '../adapters/haproxyMaster.js';
import type { ProcessSignals } from '../adapters/processSignals.js';
import type { EventStore } from '../store/eventStore.js';

export interface OldWorker {
  pid: number;
  /** Client connections it still serves. */
  connections: number;
  /** When a reload made it old (epoch ms), null when the agent did not see that reload. */
  retiredAt: number | null;
  /** When HAProxy stops it at the latest (hard-stop-after), null when unknown. */
  stopsAt: number | null;
}

/**
 * Previous HAProxy workers after reloads (ADR 0014): listed with their connections and when they
 * will be stopped, and bounded in number. HAProxy's own `mworker-max-reloads` counts reloads,
 * not live workers, so 50 quick applies would kill a worker holding every WebSocket although the
 * 49 in between exited at once; the agent instead stops the oldest beyond `maxOldWorkers` live
 * ones, and says so on the timeline.
 */
export function createOldWorkers(deps: {
  master: HaproxyMaster;
  signals: ProcessSignals;
  policy: () => OldWorkerPolicy;
  events: Pick<EventStore, 'add'>;
  log: (m: string) => void;
  now?: () => number;
}) {
  const now = deps.now ?? Date.now;
  const retiredAt = new Map<number, number>();

  const connections = async (pid: number): Promise<number | null> => {
    const answer = await deps.master.workerByPid(pid, 'show info').catch(() => '');
    const n = Number(parseShowInfo(answer).fields.CurrConns);
    return answer.includes('Pid:') && Number.isFinite(n) ? n : null;
  };

  const list = async (): Promise<OldWorker[]> => {
    const proc = await deps.master.showProc();
    const alive = new Set(proc.oldWorkers);
    for (const pid of retiredAt.keys()) if (!alive.has(pid)) retiredAt.delete(pid);
    const grace = deps.policy().graceMs;
    const out: OldWorker[] = [];
    for (const pid of proc.oldWorkers) {
      const n = await connections(pid);
      if (n === null) continue; // exited meanwhile
      const at = retiredAt.get(pid) ?? null;
      out.push({ pid, connections: n, retiredAt: at, stopsAt: at === null ? null : at + grace });
    }
    return out;
  };

  return {
    list,
    connections,
    /**
     * After a reload: the previous worker is old from now; beyond the limit the oldest go. The
     * report says what stays on the previous worker, for the apply answer.
     */
    async afterReload(previousPid: number | undefined) {
      if (previousPid !== undefined) retiredAt.set(previousPid, now());
      const { maxOldWorkers, graceMs } = deps.policy();
      const old = await list();
      // HAProxy lists the newest first: the oldest are at the end. A worker without client
      // connections is on its way out (the log tap lets it go within a poll) and does not count:
      // otherwise a burst of applies would push out the one worker that holds every WebSocket.
      const busy = old.filter((w) => w.connections > 0);
      for (const w of busy.slice(maxOldWorkers)) {
        deps.signals.terminate(w.pid);
        const message = `stopped old worker ${w.pid} with ${w.connections} connection(s): more than ${maxOldWorkers} old workers with connections`;
        deps.log(message);
        deps.events.add({
          at: now(),
          kind: 'apply',
          severity: 'warning',
          subject: `worker ${w.pid}`,
          message,
        });
      }
      const previous = old.find((w) => w.pid === previousPid);
      return {
        connectionsOnPreviousWorker: previous?.connections ?? 0,
        previousWorkerStopsAt: previous ? now() + graceMs : null,
      };
    },
  };
}
export type OldWorkers = ReturnType<typeof createOldWorkers>;
