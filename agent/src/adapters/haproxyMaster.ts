import {
  generationOfDescription,
  parseShowInfo,
  TandemError,
  type CheckDiagnostic,
} from '@tandem/core';
import { parseCheckOutput } from './haproxyChecker.js';
import { unixCommand } from './unixCommand.js';

export interface ProcInfo {
  masterPid: number;
  reloads: number;
  version: string;
  /** Current workers first; HAProxy lists the newest first. */
  workers: { pid: number; reloads: number }[];
  oldWorkers: number[];
  /** Seconds each old worker has run (same order as oldWorkers), NaN when unreadable. */
  oldWorkerUptimes: number[];
}

/** `0d00h01m02s` as seconds. */
function parseUptime(text: string): number {
  const m = /^(\d+)d(\d+)h(\d+)m(\d+)s$/.exec(text);
  if (!m) return Number.NaN;
  const [, d, h, min, sec] = m.map(Number) as [number, number, number, number, number];
  return ((d * 24 + h) * 60 + min) * 60 + sec;
}

export interface ReloadOutcome {
  ok: boolean;
  diagnostics: CheckDiagnostic[];
}

/** HAProxy's master CLI: reload, process list, and commands routed to the current worker. */
export interface HaproxyMaster {
  showProc(): Promise<ProcInfo>;
  reload(): Promise<ReloadOutcome>;
  /** Runs a command on the current worker (`@1 <command>`). */
  worker(command: string): Promise<string>;
  /** Runs a command on one worker by PID, current or old (`@!<pid> <command>`). */
  workerByPid(pid: number, command: string): Promise<string>;
  /**
   * `show info` and `show stat` of every live worker, the current one first, then old workers
   * still finishing their connections (whose counts would otherwise be lost at a reload).
   */
  workerStats(): Promise<{ pid: number; info: string; stat: string }[]>;
}

export function parseShowProc(text: string): ProcInfo {
  const info: ProcInfo = {
    masterPid: 0,
    reloads: 0,
    version: '',
    workers: [],
    oldWorkers: [],
    oldWorkerUptimes: [],
  };
  let section: 'master' | 'workers' | 'old' | 'other' = 'master';
  for (const line of text.split('\n')) {
    if (line.startsWith('# workers')) section = 'workers';
    else if (line.startsWith('# old workers')) section = 'old';
    else if (line.startsWith('#')) section = line.startsWith('#<PID>') ? 'master' : 'other';
    else {
      const cols = line.trim().split(/\s+/);
      const pid = Number(cols[0]);
      if (!Number.isInteger(pid) || pid <= 0) continue;
      if (cols[1] === 'master') {
        info.masterPid = pid;
        info.reloads = Number(cols[2]);
        info.version = cols[cols.length - 1] ?? '';
      } else if (section === 'workers') info.workers.push({ pid, reloads: Number(cols[2]) });
      else if (section === 'old') {
        info.oldWorkers.push(pid);
        info.oldWorkerUptimes.push(parseUptime(cols[3] ?? ''));
      }
    }
  }
  return info;
}

export interface MasterOptions {
  socketPath: string;
  /**
   * HAProxy 2.6 answers `reload` with nothing; its outcome is only in the master's log. The
   * launcher passes a function that waits for "Loading success." / "Loading failure!" there.
   * HAProxy 3.0 answers `Success=1|0` with the startup log, so this is only a fallback.
   */
  awaitLoadResult?: (since: number) => Promise<{ ok: boolean; log: string } | null>;
  timeoutMs?: number;
}

export function createHaproxyMaster(options: MasterOptions): HaproxyMaster {
  const cmd = (c: string) => unixCommand(options.socketPath, c, options.timeoutMs);
  return {
    async showProc() {
      return parseShowProc(await cmd('show proc'));
    },
    worker: (c) => cmd(`@1 ${c}`),
    workerByPid: (pid, c) => cmd(`@!${pid} ${c}`),
    async workerStats() {
      const proc = parseShowProc(await cmd('show proc'));
      const pids = [...proc.workers.map((w) => w.pid), ...proc.oldWorkers];
      const answers = await Promise.all(
        pids.map(async (pid, i) => {
          // Both commands on one connection to one worker, so the PID and the counters agree.
          const answer = await cmd(`@!${pid} show info;@!${pid} show stat`).catch((e: unknown) => {
            if (i === 0) throw e;
            return ''; // an old worker that exited meanwhile
          });
          const at = answer.indexOf('# pxname');
          if (at < 0) {
            if (i === 0) throw new TandemError('haproxy_unavailable', 'the worker gave no stats');
            return null;
          }
          return { pid, info: answer.slice(0, at), stat: answer.slice(at) };
        }),
      );
      return answers.filter((a) => a !== null);
    },
    async reload() {
      const since = Date.now();
      // HAProxy 2.6 re-executes the master on reload and drops the CLI connection without an
      // answer; that is not a failure, the outcome comes from the log or from show proc.
      const answer = await cmd('reload').catch((e: unknown) => {
        if (e instanceof Error && /ECONNRESET|EPIPE/.test(e.message)) return '';
        throw e;
      });
      const m = /^Success=([01])/m.exec(answer);
      if (m) return { ok: m[1] === '1', diagnostics: parseCheckOutput(answer) };
      if (!options.awaitLoadResult) {
        // No synchronous answer and no log to read: the caller verifies through show proc.
        return { ok: true, diagnostics: [] };
      }
      const r = await options.awaitLoadResult(since);
      return r ? { ok: r.ok, diagnostics: parseCheckOutput(r.log) } : { ok: true, diagnostics: [] };
    },
  };
}

/**
 * Master CLI calls around a start or a reload: the master re-executes (2.6) or has not yet
 * registered its new worker, and refuses or resets connections for a moment. Retries those
 * (haproxy_unavailable) until the deadline; anything else fails at once.
 */
export async function retryTransient<T>(fn: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      const transient = e instanceof TandemError && e.code === 'haproxy_unavailable';
      if (!transient || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/** The generation the current worker runs (from `show info`), or null if it cannot be asked. */
export async function liveGeneration(
  master: HaproxyMaster,
  timeoutMs: number,
): Promise<number | null> {
  try {
    const answer = await retryTransient(() => master.worker('show info'), timeoutMs);
    return generationOfDescription(parseShowInfo(answer).fields.description);
  } catch {
    return null;
  }
}
