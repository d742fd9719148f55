import { rm } from 'node:fs/promises';
import type { EventStore } from './store/eventStore.js';
import { createHaproxyLauncher, type HaproxyLauncher } from './adapters/haproxyLauncher.js';
import { createHaproxyMaster } from './adapters/haproxyMaster.js';
import { createProcessSignals } from './adapters/processSignals.js';
import type { AgentEnv } from './env.js';
import { superviseHaproxy } from './services/superviseHaproxy.js';
import type { VrrpService } from './services/vrrp.js';

/**
 * Part of the agent's composition root (main.ts): HAProxy's master process, started as the
 * agent's child (the appliance, the lab) or found already running (dev units), the client of its
 * master socket, and the supervisor that starts it again when it dies.
 */
export function composeHaproxy(o: {
  env: Pick<AgentEnv, 'haproxyMode' | 'haproxyCommand' | 'unitName'>;
  /** haproxy.cfg as HAProxy sees it (inside its chroot, when it runs in one). */
  configPath: string;
  /** The master socket as this process opens it, and as HAProxy sees it. */
  masterSocket: { host: string; inside: string };
  vrrp: VrrpService | null;
  events: Pick<EventStore, 'add'>;
  log: (m: string) => void;
  /** Whether the agent is stopping: an exit then is expected, not restarted. */
  stopping: () => boolean;
  /** Told of the launcher at once: a start that fails later must not orphan HAProxy. */
  onLauncher: (l: HaproxyLauncher) => void;
}) {
  const { env, log } = o;
  let launcher: HaproxyLauncher | null = null;
  if (env.haproxyMode === 'child') {
    launcher = createHaproxyLauncher({
      command: env.haproxyCommand,
      configPath: o.configPath,
      masterSocket: o.masterSocket.inside,
      masterSocketHost: o.masterSocket.host,
      onExit: (code, signal) => {
        log(`HAProxy master exited (${code ?? signal})`);
        if (!o.stopping()) void supervisor.restart(`${code ?? signal}`);
      },
    });
    o.onLauncher(launcher);
  }
  const master = createHaproxyMaster({
    socketPath: o.masterSocket.host,
    ...(launcher ? { awaitLoadResult: launcher.awaitLoadResult } : {}),
  });
  const supervisor = superviseHaproxy({
    launcher,
    master,
    masterSocket: o.masterSocket.host,
    vrrp: o.vrrp,
    events: o.events,
    unitName: env.unitName,
    log,
    stopping: o.stopping,
    signals: createProcessSignals(),
    removeMasterSocket: () => rm(o.masterSocket.host, { force: true }),
  });
  return { launcher, master, supervisor };
}
