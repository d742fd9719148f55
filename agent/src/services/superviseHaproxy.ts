import type { HaproxyLauncher } from '../adapters/haproxyLauncher.js';
import type { HaproxyMaster } from '../adapters/haproxyMaster.js';
import type { ProcessSignals } from '../adapters/processSignals.js';
import type { EventStore } from '../store/eventStore.js';
import type { VrrpService } from './vrrp.js';

/**
 * Keeps a child HAProxy running (dev and lab units; systemd's `Restart=on-failure` does this on
 * the appliance). When the master dies the unit steps down at once (keepalived reads the ready
 * file) and HAProxy comes back a second later with the running generation's file.
 */
export function superviseHaproxy(o: {
  launcher: HaproxyLauncher | null;
  master: HaproxyMaster;
  masterSocket: string;
  vrrp: VrrpService | null;
  events: Pick<EventStore, 'add'>;
  unitName: string;
  log: (m: string) => void;
  stopping: () => boolean;
  signals: Pick<ProcessSignals, 'alive'>;
  /** Removes a master socket left by the dead master (the new one refuses to bind over it). */
  removeMasterSocket: () => Promise<void>;
  /** How long to wait before starting HAProxy again (1 s), and how often to look at an adopted one. */
  restartDelayMs?: number;
  watchMs?: number;
}) {
  const restart = async (why: string) => {
    await o.vrrp?.setHaproxyUp(false);
    o.events.add({
      at: Date.now(),
      kind: 'agent',
      severity: 'error',
      subject: `unit ${o.unitName}`,
      message: `HAProxy exited unexpectedly (${why}); restarting it in 1 s`,
    });
    await new Promise((r) => setTimeout(r, o.restartDelayMs ?? 1_000));
    if (o.stopping() || !o.launcher || o.launcher.running()) return;
    try {
      await o.removeMasterSocket();
      await o.launcher.start();
      await o.vrrp?.setHaproxyUp(true);
      o.log('HAProxy restarted');
    } catch (e) {
      o.log(`HAProxy restart failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  return {
    restart,
    /** A master adopted from an earlier agent has no exit event: look for it every half second. */
    async watchAdopted(): Promise<void> {
      const pid = await o.master.showProc().then(
        (p) => p.masterPid,
        () => 0,
      );
      if (pid <= 0 || !o.launcher) return;
      const watch = setInterval(() => {
        if (o.signals.alive(pid)) return;
        clearInterval(watch);
        if (!o.stopping()) void restart('the adopted master is gone');
      }, o.watchMs ?? 500);
      watch.unref();
    },
  };
}
