import { join } from 'node:path';
import { LOG_RING, oldWorkerPolicy, parseApplianceConfig, type NodeSettings } from '@tandem/core';
import type { HaproxyMaster } from './adapters/haproxyMaster.js';
import { createProcessSignals } from './adapters/processSignals.js';
import { createRingTapOpener } from './adapters/ringTap.js';
import { createRuntimeApi } from './adapters/runtimeApi.js';
import type { GenerationService } from './services/generations.js';
import type { LogIngest } from './services/logIngest.js';
import { createOldWorkers } from './services/oldWorkers.js';
import { createReloadLogTap } from './services/reloadLogTap.js';
import type { ConfigStore } from './store/configStore.js';
import type { EventStore } from './store/eventStore.js';

/**
 * Part of the agent's composition root (main.ts): what a reload carries over (ADR 0014). The
 * Runtime API (server state saved for the next worker), the old workers' bound and report, and
 * the tap that reads an old worker's last log lines.
 */
export function composeReload(o: {
  node: NodeSettings;
  /** HAProxy's filesystem root when it runs chrooted ('' otherwise). */
  root: string;
  master: HaproxyMaster;
  store: ConfigStore;
  generations: GenerationService;
  ingest: LogIngest | null;
  events: Pick<EventStore, 'add'>;
  log: (m: string) => void;
}) {
  const { node, root, master, store, generations, ingest, events, log } = o;
  const statsSocket = root === '' ? node.paths.statsSocket : join(root, node.paths.statsSocket);
  const runtime = createRuntimeApi(statsSocket);
  const fallback = parseApplianceConfig({ schemaVersion: 1 });
  const runningConfig = () => {
    const n = store.running() ?? store.latest()?.number;
    if (n !== undefined) return generations.get(n).config;
    if (!fallback.ok) throw new Error('the empty configuration does not validate');
    return fallback.value;
  };
  const oldWorkers = createOldWorkers({
    master,
    signals: createProcessSignals(),
    policy: () => oldWorkerPolicy(runningConfig()),
    events,
    log,
  });
  const tap =
    ingest && node.logTarget?.kind === 'ring'
      ? createReloadLogTap({
          open: createRingTapOpener(statsSocket, LOG_RING),
          ingest,
          connections: oldWorkers.connections,
          log,
        })
      : null;
  return { runtime, oldWorkers, tap };
}
