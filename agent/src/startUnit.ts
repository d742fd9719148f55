import { rm } from 'node:fs/promises';
import type { FileWriter } from './adapters/atomicFiles.js';
import type { HaproxyLauncher } from './adapters/haproxyLauncher.js';
import { liveGeneration, type HaproxyMaster } from './adapters/haproxyMaster.js';
import type { RuntimeApi } from './adapters/runtimeApi.js';
import type { ApplyService } from './services/apply.js';
import type { GenerationService } from './services/generations.js';
import { reconcile } from './services/reconcile.js';
import type { superviseHaproxy } from './services/superviseHaproxy.js';
import type { VrrpService } from './services/vrrp.js';
import type { ConfigStore } from './store/configStore.js';

/**
 * Part of the agent's composition root (main.ts): bring the unit's daemons up. A HAProxy master
 * that survived a previous agent (kill -9, upgrade) is adopted, otherwise one is started with
 * the running (or first) generation; keepalived then follows the running generation, told
 * whether HAProxy serves. Answers whether HAProxy was found alive.
 */
export async function startUnit(o: {
  master: HaproxyMaster;
  /** Finishes a live server change a crash interrupted. */
  runtime?: Pick<RuntimeApi, 'execute'>;
  launcher: HaproxyLauncher | null;
  supervisor: ReturnType<typeof superviseHaproxy>;
  vrrp: VrrpService | null;
  store: ConfigStore;
  generations: GenerationService;
  apply: ApplyService;
  files: FileWriter;
  configPath: string;
  masterSocket: string;
  log: (m: string) => void;
}): Promise<{ alive: boolean }> {
  const { master, launcher, store, generations, apply, vrrp, log } = o;
  // Adopt a master that survived a previous agent (kill -9, upgrade); otherwise start one.
  const alive = await master.showProc().then(
    () => true,
    () => false,
  );
  await reconcile({ store, apply, master: alive ? master : null, runtime: o.runtime, log });
  if (!alive && launcher) {
    if (store.running() === null) {
      const first = generations.latest();
      if (first) await o.files.write(o.configPath, apply.render(first).config);
    }
    await rm(o.masterSocket, { force: true });
    await launcher.start();
    if (store.running() === null) {
      const n = await liveGeneration(master, 15_000);
      if (n !== null) store.setRunning(n);
    }
    log(`HAProxy started (generation ${store.running() ?? '?'})`);
  } else if (alive) {
    log('adopted the running HAProxy master');
    await o.supervisor.watchAdopted();
  }
  if (vrrp) {
    await vrrp.start();
    await vrrp.setHaproxyUp(alive || launcher?.running() === true);
    const running = store.running();
    if (running !== null) {
      const g = generations.get(running);
      await vrrp.commit(g.config, running);
    }
  }

  return { alive };
}
