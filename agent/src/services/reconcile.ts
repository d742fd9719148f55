import { liveGeneration, type HaproxyMaster } from '../adapters/haproxyMaster.js';
import type { ConfigStore } from '../store/configStore.js';
import type { ApplyService } from './apply.js';

/**
 * Runs at agent start, before anything else touches HAProxy. If the agent died mid-apply (the
 * store still says "applying N"), the worker itself tells which generation it runs: if it is N,
 * the apply had completed and N is marked running; otherwise the running generation's files go
 * back on disk (and, if HAProxy runs, are reloaded) so that what runs is a committed generation
 * and the store says which.
 */
export async function reconcile(deps: {
  store: ConfigStore;
  apply: ApplyService;
  master: HaproxyMaster | null;
  log: (m: string) => void;
}): Promise<void> {
  const { store, master, log } = deps;
  const applying = store.applying();
  const running = store.running();
  const live = master ? await liveGeneration(master, 10_000) : null;
  if (applying !== null && live === applying) {
    store.setRunning(applying);
    store.setApplying(null);
    log(`an interrupted apply of generation ${applying} had completed; marked running`);
    return;
  }
  if (applying !== null)
    log(
      `an apply of generation ${applying} was interrupted; restoring generation ${running ?? 'none'}`,
    );
  await deps.apply.restoreRunning();
  store.setApplying(null);
  if (master && running !== null && live !== running) {
    await master.reload();
    log(`reloaded HAProxy to generation ${running}`);
  }
}
