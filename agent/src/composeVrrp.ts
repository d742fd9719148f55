import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ClusterNode, parseWith, type ClusterNode as ClusterNodeT } from '@tandem/core';
import type { FileWriter } from './adapters/atomicFiles.js';
import { systemClock } from './adapters/clock.js';
import { createKeepalivedChecker } from './adapters/keepalivedChecker.js';
import { createKeepalivedLauncher } from './adapters/keepalivedLauncher.js';
import { openNotifyFifo } from './adapters/notifyFifo.js';
import { vipShadow } from './adapters/vipShadow.js';
import { holdsAddress, tcpAccepts, vipAnsweredElsewhere } from './adapters/vrrpProbes.js';
import type { AgentEnv } from './env.js';
import { createVrrpService, type VrrpService } from './services/vrrp.js';
import type { EventStore } from './store/eventStore.js';

/** This unit's side of the cluster, from its own file (never synced), validated like the model. */
export async function readClusterNode(path: string): Promise<ClusterNodeT | null> {
  const text = await readFile(path, 'utf8').catch(() => null);
  if (text === null) return null;
  const r = parseWith(ClusterNode, JSON.parse(text));
  if (!r.ok)
    throw new Error(`${path}: ${r.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return r.value;
}

/**
 * Part of the agent's composition root (main.ts): builds the VRRP service and its adapters when
 * this unit runs keepalived and has cluster settings of its own; null otherwise.
 */
export async function composeVrrp(o: {
  env: AgentEnv;
  files: FileWriter;
  events: Pick<EventStore, 'add'>;
  log: (m: string) => void;
}): Promise<VrrpService | null> {
  if (o.env.keepalived === 'off') return null;
  const node = await readClusterNode(o.env.clusterNodeFile);
  if (!node) {
    o.log(`keepalived: no ${o.env.clusterNodeFile}, so this unit does not take part in VRRP`);
    return null;
  }
  const dir = o.env.stateDir;
  const run = join(dir, 'run');
  let service: VrrpService | null = null;
  const keepalived = createKeepalivedLauncher({
    command: o.env.keepalivedCommand,
    configPath: join(dir, 'keepalived.conf'),
    pidFile: join(run, 'keepalived.pid'),
    vrrpPidFile: join(run, 'keepalived-vrrp.pid'),
    onExit: (why) => service?.onKeepalivedExit(why),
    onLine: (text) => o.log(`keepalived: ${text}`),
  });
  service = createVrrpService({
    node,
    unitName: o.env.unitName,
    paths: {
      config: join(dir, 'keepalived.conf'),
      candidate: join(dir, 'keepalived.conf.candidate'),
      fifo: join(run, 'vrrp.fifo'),
      ready: join(run, 'ready'),
      standby: join(dir, 'standby'),
    },
    files: o.files,
    checker: createKeepalivedChecker(o.env.keepalivedCommand),
    keepalived,
    events: o.events,
    clock: systemClock,
    log: o.log,
    trackProcess: o.env.trackProcess,
    probes: { accepts: tcpAccepts, duplicate: vipAnsweredElsewhere, holds: holdsAddress },
    openFifo: openNotifyFifo,
    shadow: vipShadow,
  });
  return service;
}
