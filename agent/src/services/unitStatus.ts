import type { StatusResponse } from '@tandem/core';
import type { HaproxyMaster } from '../adapters/haproxyMaster.js';
import type { RuntimeApi } from '../adapters/runtimeApi.js';
import type { ConfigStore } from '../store/configStore.js';
import type { ApplyService } from './apply.js';
import { findDrift } from './drift.js';
import type { GenerationService } from './generations.js';
import type { LogIngest } from './logIngest.js';
import type { OldWorkers } from './oldWorkers.js';
import type { StatsSampler } from './statsSampler.js';

/**
 * The unit's status (`GET /v1/status`, `tandemctl status`, the console's header and dashboard):
 * generations, HAProxy as its master reports it, drift between the model and what runs, the
 * last apply, and the telemetry counters. HAProxy down is an answer too (running: false, drift
 * unknown), never an error.
 */
export function createUnitStatus(d: {
  unitName: string;
  store: Pick<ConfigStore, 'latest' | 'running'>;
  generations: Pick<GenerationService, 'get'>;
  master: Pick<HaproxyMaster, 'showProc'>;
  runtime: Pick<RuntimeApi, 'showServersState'>;
  oldWorkers: Pick<OldWorkers, 'list'>;
  apply: Pick<ApplyService, 'lastApply'>;
  ingest: Pick<LogIngest, 'metrics'> | null;
  sampler: Pick<StatsSampler, 'metrics' | 'droppedLogs'> | null;
}) {
  return {
    async read(): Promise<StatusResponse> {
      const desired = d.store.latest()?.number ?? null;
      const running = d.store.running();
      const haproxy: StatusResponse['haproxy'] = {
        running: false,
        version: null,
        masterPid: null,
        workerPid: null,
        reloads: null,
        oldWorkers: [],
      };
      // Unknown until HAProxy answers: an unreachable Runtime API is not "no drift".
      let drift: StatusResponse['drift'] = null;
      try {
        const proc = await d.master.showProc();
        Object.assign(haproxy, {
          running: proc.workers.length > 0,
          version: proc.version,
          masterPid: proc.masterPid,
          workerPid: proc.workers[0]?.pid ?? null,
          reloads: proc.reloads,
          oldWorkers: await d.oldWorkers.list(),
        });
        drift =
          running === null
            ? []
            : findDrift(d.generations.get(running).config, await d.runtime.showServersState());
      } catch {
        // HAProxy down: status still answers, with running: false.
      }
      return {
        unit: d.unitName,
        desired,
        running,
        pending: desired !== running,
        haproxy,
        drift,
        lastApply: d.apply.lastApply(),
        logs: d.ingest
          ? { ...d.ingest.metrics(), droppedByHaproxy: d.sampler?.droppedLogs() ?? 0 }
          : null,
        stats: d.sampler?.metrics() ?? null,
      };
    },
  };
}
export type UnitStatus = ReturnType<typeof createUnitStatus>;
