import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ClusterNode, parseWith, type ClusterNode as ClusterNodeT } from '@tandem/core';
import type { FileWriter } from './adapters/atomicFiles.js';
import { systemClock } from './adapters/clock.js';
import { createKeepalivedChecker } from './adapters/keepalivedChecker.js';
import { createKeepalivedLauncher } from './adapters/keepalivedLauncher.js';
import { openNotifyFifo } from './adapters/notifyFifo.js';
import { vipShadow } from './adapters/vipShadow.js';
import { timeWaitSockets } from './adapters/timeWaitSockets.js';
import { holdsAddress, tcpAccepts, vipAnsweredElsewhere } from './adapters/vrrpProbes.js';
import type { AgentEnv } from './env.js';
import { createVrrpService, type VrrpService } from './services/vrrp.js';
import type { EventStore } from './store/eventStore.js';
import type { ConfigStore } from './store/configStore.js';
import type { GenerationService } from './services/generations.js';
import { createNodeSettings, type NodeSettings } from './services/nodeSettings.js';
import { hostInterfaces } from './adapters/hostInterfaces.js';

/** A cluster-node file of an older unit, validated like the model (imported once into the DB). */
export async function readClusterNode(path: string): Promise<ClusterNodeT | null> {
  const text = await readFile(path, 'utf8').catch(() => null);
  if (text === null) return null;
  const r = parseWith(ClusterNode, JSON.parse(text));
  if (!r.ok)
    throw new Error(`${path}: ${r.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return r.value;
}

/**
 * Part of the agent's composition root (main.ts): the VRRP service and its adapters when this
 * unit runs keepalived (null otherwise), with the unit's own cluster settings from its config
 * DB. keepalived starts once those settings and a generation with VRRP instances are both there.
 */
export async function composeVrrp(o: {
  env: AgentEnv;
  files: FileWriter;
  store: ConfigStore;
  generations: Pick<GenerationService, 'latest'>;
  events: Pick<EventStore, 'add'>;
  log: (m: string) => void;
}): Promise<{ vrrp: VrrpService; nodeSettings: NodeSettings } | null> {
  if (o.env.keepalived === 'off') return null;
  // An older unit kept its side in a file: taken into the config DB once, the file left alone.
  if (o.store.clusterNode() === null) {
    const legacy = await readClusterNode(o.env.clusterNodeFile);
    if (legacy) {
      o.store.setClusterNode(legacy);
      o.log(`cluster settings imported from ${o.env.clusterNodeFile}`);
    }
  }
  const stored = parseWith(ClusterNode, o.store.clusterNode());
  const node = stored.ok ? stored.value : null;
  if (!node) o.log('keepalived: no cluster settings yet, so this unit takes no part in VRRP');
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
    timeWait: timeWaitSockets,
  });
  const nodeSettings = createNodeSettings({
    unitName: o.env.unitName,
    store: o.store,
    config: () => o.generations.latest()?.config ?? null,
    vrrp: service,
    interfaces: hostInterfaces,
    events: o.events,
    now: () => Date.now(),
  });
  return { vrrp: service, nodeSettings };
}
