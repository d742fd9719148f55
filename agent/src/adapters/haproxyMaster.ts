import { generationOfDescription, TandemError, type CheckDiagnostic } from '@tandem/core';
import { parseCheckOutput } from './haproxyChecker.js';
import { unixCommand } from './unixCommand.js';

export interface ProcInfo {
  masterPid: number;
  reloads: number;
  version: string;
  /** Current workers first; HAProxy lists the newest first. */
  workers: { pid: number; reloads: number }[];
  oldWorkers: number[];
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
}

export function parseShowProc(text: string): ProcInfo {
  const info: ProcInfo = { masterPid: 0, reloads: 0, version: '', workers: [], oldWorkers: [] };
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
      else if (section === 'old') info.oldWorkers.push(pid);
    }
  }
  return info;
}

export function parseShowInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
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
    return generationOfDescription(parseShowInfo(answer).description);
  } catch {
    return null;
  }
}
