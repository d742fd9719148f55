import {
  carriedServerState,
  mapCheckDiagnostics,
  parseServersState,
  renderHaproxy,
  serversStartingFresh,
  TandemError,
  type ApplianceConfig,
  type HaproxyBundle,
  type NodeSettings,
} from '@tandem/core';
import type { FileWriter } from '../adapters/atomicFiles.js';
import type { Clock } from '../adapters/clock.js';
import type { HaproxyChecker } from '../adapters/haproxyChecker.js';
import { liveGeneration, retryTransient, type HaproxyMaster } from '../adapters/haproxyMaster.js';
import { checkBundle, writeBundle } from './renderAndCheck.js';
import type { ConfigStore } from '../store/configStore.js';
import type { EventStore } from '../store/eventStore.js';
import type { Generation, GenerationService } from './generations.js';

export interface UnitPaths {
  /** The live haproxy.cfg that the master loads on reload. */
  config: string;
  /** Where a candidate is written and checked before it may replace the live file. */
  candidate: string;
  /** The last candidate that failed, kept for inspection. */
  failed: string;
}

export interface ApplyDeps {
  generations: GenerationService;
  store: ConfigStore;
  files: FileWriter;
  checker: HaproxyChecker;
  master: HaproxyMaster;
  node: NodeSettings;
  /**
   * The pair as HAProxy's peers see it, when this unit is paired and has its cluster settings
   * (stick tables replicated to the peer); asked at each render, since pairing comes and goes.
   */
  pairPeers?: () => NodeSettings['pair'] | null;
  /** Whether this unit answers ACME challenges (it has ACME set up): HTTP frontends carry the rule. */
  acmeChallenges?: () => boolean;
  paths: UnitPaths;
  clock: Clock;
  log: (message: string) => void;
  /** Runs just before the reload signal (the stats sampler banks the old worker's counters). */
  beforeReload?: () => Promise<void>;
  /** The running worker's `show servers state`, saved for the next worker to load. */
  dumpServerState: () => Promise<string>;
  /** Runs once a new worker is verified (the log tap attaches to it, old workers are bounded). */
  afterReload?: (previousPid: number | undefined) => Promise<ReloadReport>;
  /** The reload signal went out but the old worker stays current (the log tap lets go). */
  reloadAborted?: () => void;
  /**
   * keepalived follows each generation: its config is checked before HAProxy reloads (a refusal
   * fails the apply with nothing changed) and committed once the generation runs.
   */
  cluster?: {
    check(config: ApplianceConfig, n: number): Promise<void>;
    commit(config: ApplianceConfig, n: number): Promise<void>;
  };
  /** The event timeline: every apply's outcome lands there. */
  events?: Pick<EventStore, 'add'>;
  /** How long to wait for the new worker to appear after a reload. */
  verifyTimeoutMs?: number;
  /** Called as the apply passes each step (the crash test's failpoint). */
  phase?: (p: ApplyPhase) => void;
}

export interface ReloadReport {
  /** Connections still open on the previous worker, finishing there. */
  connectionsOnPreviousWorker: number;
  /** When the previous worker is stopped at the latest (epoch ms). */
  previousWorkerStopsAt: number | null;
}

/**
 * The steps of an apply, in order, as the crash test names them: the agent can be told to die
 * at one (TANDEM_CRASH_AT, tests only) to prove each leaves a consistent unit.
 */
export const APPLY_PHASES = [
  'applying',
  'checked',
  'written',
  'state-saved',
  'reload-sent',
  'verified',
  'running',
] as const;
export type ApplyPhase = (typeof APPLY_PHASES)[number];

export interface ApplyResult {
  generation: number;
  outcome: 'reload' | 'unchanged';
  durationMs: number;
  /** Checked servers HAProxy had no saved state for (new or renamed): they start as checks decide. */
  freshServers?: string[];
  /** What stays on the previous worker after the reload. */
  previousWorker?: ReloadReport;
}

export interface LastApply {
  generation: number;
  ok: boolean;
  at: string;
  error?: string;
}

export function createApplyService(deps: ApplyDeps) {
  const { generations, store, files, checker, master, node, paths, clock } = deps;
  let inFlight: Promise<ApplyResult> | null = null;
  let queued: Promise<ApplyResult> | null = null;
  // One at a time: an apply, or a live change (Runtime API commands, live file, "running").
  // Without it a live change could write an older live file after a reload of a newer
  // generation, or move "running" backwards. When nothing holds it, `fn` starts at once, so an
  // apply still takes the latest generation of the moment it is called.
  let tail: Promise<void> | null = null;
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = tail ? tail.then(fn) : fn();
    const done = result.then(
      () => undefined,
      () => undefined,
    );
    tail = done;
    void done.then(() => {
      if (tail === done) tail = null;
    });
    return result;
  };
  let last: LastApply | null = null;

  /** Any config as this unit renders it now (its node settings, the pair when there is one). */
  const renderConfig = (config: ApplianceConfig, generation?: number): HaproxyBundle => {
    const pair = deps.pairPeers?.() ?? null;
    return renderHaproxy(config, {
      node: pair ? { ...node, pair } : node,
      ...(generation !== undefined ? { generation } : {}),
      acmeChallenges: deps.acmeChallenges?.() ?? false,
    });
  };
  const render = (g: Generation): HaproxyBundle => renderConfig(g.config, g.summary.number);

  const verifyTimeout = deps.verifyTimeoutMs ?? 15_000;

  /** Waits until a worker other than `previous` is current, and reads its generation. */
  const verify = async (previous: number | undefined, generation: number) => {
    const deadline = Date.now() + verifyTimeout;
    for (;;) {
      const proc = await retryTransient(() => master.showProc(), deadline - Date.now());
      const current = proc.workers[0]?.pid;
      if (current !== undefined && current !== previous) {
        const live = await liveGeneration(master, deadline - Date.now());
        if (live === generation) return;
        throw new TandemError(
          'reload_failed',
          `the new worker reports generation ${live ?? 'none'}, not generation ${generation}`,
        );
      }
      if (Date.now() > deadline)
        throw new TandemError(
          'reload_failed',
          'HAProxy kept the old worker: the new configuration did not start',
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  /**
   * Saves the running worker's server state where the next worker loads it (atomic, like every
   * file here), and names the checked servers it has no state for. A worker that cannot answer
   * leaves the previous file: HAProxy then re-checks what it finds there, never trusts it blindly.
   */
  const saveServerState = async (config: ApplianceConfig): Promise<string[]> => {
    try {
      const dumped = await deps.dumpServerState();
      const text = carriedServerState(dumped.endsWith('\n') ? dumped : `${dumped}\n`, config);
      await files.write(node.paths.serverState, text);
      return serversStartingFresh(config, parseServersState(text));
    } catch (e) {
      deps.log(`server state not saved: ${e instanceof Error ? e.message : String(e)}`);
      return serversStartingFresh(config, []);
    }
  };

  /** Makes a generation's files the live ones on disk (no reload). */
  const writeLive = (g: Generation) => writeBundle(files, render(g), paths.config);

  /** Puts the last-known-good generation's files back in place. */
  const restoreRunning = async () => {
    const running = store.running();
    if (running !== null) await writeLive(generations.get(running));
  };

  const counts = { ok: 0, failed: 0 };
  const settled = new Set<(r: { generation: number; ok: boolean }) => void>();
  const record = (n: number, ok: boolean, message: string, fields?: unknown) => {
    counts[ok ? 'ok' : 'failed']++;
    for (const l of settled) l({ generation: n, ok });
    deps.events?.add({
      at: clock.now().getTime(),
      kind: 'apply',
      severity: ok ? 'info' : 'error',
      subject: `generation ${n}`,
      message,
      ...(fields ? { data: { fields } } : {}),
    });
  };

  /** keepalived after HAProxy: a failure here is reported, HAProxy's new generation stays. */
  const commitCluster = async (config: ApplianceConfig, n: number) => {
    try {
      await deps.cluster?.commit(config, n);
    } catch (e) {
      const message = `keepalived did not take generation ${n}: ${e instanceof Error ? e.message : String(e)}`;
      deps.log(message);
      deps.events?.add({
        at: clock.now().getTime(),
        kind: 'vrrp',
        severity: 'error',
        subject: `generation ${n}`,
        message,
      });
    }
  };

  const run = async (): Promise<ApplyResult> => {
    const started = Date.now();
    const target = generations.latest();
    if (!target) throw new TandemError('not_found', 'the unit has no configuration yet');
    const n = target.summary.number;
    const bundle = render(target);
    if (store.running() === n && (await files.read(paths.config)) === bundle.config) {
      await deps.cluster?.check(target.config, n);
      await commitCluster(target.config, n);
      return { generation: n, outcome: 'unchanged', durationMs: Date.now() - started };
    }
    store.setApplying(n);
    const at = (p: ApplyPhase) => deps.phase?.(p);
    at('applying');
    let reloadSent = false;
    try {
      const check = await checkBundle({ files, checker }, bundle, paths.candidate);
      if (!check.ok)
        throw new TandemError('apply_failed', `HAProxy refused generation ${n}`, check.errors);
      await deps.cluster?.check(target.config, n);
      at('checked');
      const before = (await retryTransient(() => master.showProc(), verifyTimeout)).workers[0]?.pid;
      await files.write(paths.config, bundle.config);
      at('written');
      const freshServers = await saveServerState(target.config);
      at('state-saved');
      await deps.beforeReload?.();
      reloadSent = true;
      const reload = await master.reload();
      at('reload-sent');
      if (!reload.ok) {
        throw new TandemError(
          'reload_failed',
          `HAProxy could not load generation ${n}`,
          mapCheckDiagnostics(reload.diagnostics, paths.config, bundle.lineOrigins),
        );
      }
      await verify(before, n);
      at('verified');
      store.setRunning(n);
      at('running');
      const previousWorker = await deps.afterReload?.(before);
      await commitCluster(target.config, n);
      last = { generation: n, ok: true, at: clock.now().toISOString() };
      deps.log(`generation ${n} is running`);
      const fresh = freshServers.length > 0 ? `; started fresh: ${freshServers.join(', ')}` : '';
      record(n, true, `generation ${n} is running (reload in ${Date.now() - started} ms${fresh})`);
      return {
        generation: n,
        outcome: 'reload',
        durationMs: Date.now() - started,
        freshServers,
        ...(previousWorker ? { previousWorker } : {}),
      };
    } catch (e) {
      // Once a reload was sent, only the worker knows what runs. If it is the new generation the
      // apply succeeded after all; otherwise put the last-known-good back, on disk and live.
      const live = reloadSent ? await liveGeneration(master, verifyTimeout) : null;
      if (live === n) {
        store.setRunning(n);
        await deps.afterReload?.(undefined).catch(() => undefined);
        last = { generation: n, ok: true, at: clock.now().toISOString() };
        deps.log(
          `generation ${n} is running (confirmed after: ${e instanceof Error ? e.message : String(e)})`,
        );
        record(n, true, `generation ${n} is running (confirmed after a slow reload)`);
        return { generation: n, outcome: 'reload', durationMs: Date.now() - started };
      }
      if (reloadSent) deps.reloadAborted?.();
      // Best effort: on a full or read-only disk these fail too, and the first error is the news.
      await restoreRunning().catch((r: unknown) =>
        deps.log(`could not put the running generation's files back: ${String(r)}`),
      );
      if (reloadSent && live !== null && live !== store.running() && live !== store.loaded())
        await master.reload().catch(() => undefined);
      await files.rename(paths.candidate, paths.failed).catch(() => undefined);
      const message = e instanceof Error ? e.message : String(e);
      last = { generation: n, ok: false, at: clock.now().toISOString(), error: message };
      deps.log(`generation ${n} failed: ${message}`);
      record(
        n,
        false,
        `generation ${n} failed, generation ${store.running() ?? 'none'} still runs: ${message}`,
        e instanceof TandemError && e.fields.length > 0 ? e.fields : undefined,
      );
      throw e;
    } finally {
      store.setApplying(null);
    }
  };

  return {
    /**
     * Applies the latest generation. Serialised and coalesced: while one apply runs, every new
     * caller waits for the single next apply, which takes the latest generation at that time.
     */
    apply(): Promise<ApplyResult> {
      if (!inFlight) {
        inFlight = exclusive(run).finally(() => {
          inFlight = null;
        });
        return inFlight;
      }
      queued ??= inFlight
        .catch(() => undefined)
        .then(() => {
          queued = null;
          return this.apply();
        });
      return queued;
    },
    lastApply: () => last,
    /** Hears of each apply that finished, either way (the replication tells the peer). */
    onSettled(l: (r: { generation: number; ok: boolean }) => void): () => void {
      settled.add(l);
      return () => settled.delete(l);
    },
    /** Applies finished since the agent started, by outcome (for /metrics). */
    counts: () => ({ ...counts }),
    render,
    writeLive,
    renderConfig,
    /**
     * A generation went live without a reload (a runtime change, under `exclusive`): it runs
     * now, and whoever follows applies (the replication) hears of it like of an apply.
     */
    markRunning(n: number): void {
      store.setRunning(n, 'live');
      for (const l of settled) l({ generation: n, ok: true });
    },
    restoreRunning,
    /** Runs `fn` with no apply or other exclusive work in progress (live server changes). */
    exclusive,
    /** Saves the server state now (before HAProxy is stopped or restarted). */
    saveServerState: async () => {
      const g = store.running();
      if (g !== null) await saveServerState(generations.get(g).config);
    },
  };
}
export type ApplyService = ReturnType<typeof createApplyService>;
