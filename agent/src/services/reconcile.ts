import { liveGeneration, type HaproxyMaster } from '../adapters/haproxyMaster.js';
import type { RuntimeApi } from '../adapters/runtimeApi.js';
import type { ConfigStore } from '../store/configStore.js';
import type { ApplyService } from './apply.js';

/**
 * Runs at agent start, before anything else touches HAProxy. If the agent died mid-apply (the
 * store still says "applying N"), the worker itself tells which generation it runs: if it is N,
 * the apply had completed and N is marked running; otherwise the running generation's files go
 * back on disk (and, if HAProxy runs, are reloaded) so that what runs is a committed generation
 * and the store says which. A worker that runs the last loaded generation, with live server changes
 * on top (no reload), is what the store describes: it is left alone.
 */
export async function reconcile(deps: {
  store: ConfigStore;
  apply: ApplyService;
  master: HaproxyMaster | null;
  runtime?: Pick<RuntimeApi, 'execute'>;
  log: (m: string) => void;
}): Promise<void> {
  const { store, master, log } = deps;
  // HAProxy started afresh loads the running generation: an interrupted change is then not live.
  const change = store.liveChange();
  store.setLiveChange(null);
  if (master && change) await finishLiveChange(change, deps);
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
  if (master && running !== null && live !== running && live !== store.loaded()) {
    const reload = await master.reload();
    const now = await liveGeneration(master, 10_000);
    log(
      now === running
        ? `reloaded HAProxy to generation ${running}`
        : `reloaded HAProxy to generation ${running}, but it runs ${now ?? 'nothing it can name'}${reload.ok ? '' : ' (the reload failed)'}`,
    );
  }
}

/** What HAProxy answers to a command it had already carried out before the crash. */
const DONE_ALREADY = /Already exists a server|No such server/;

/**
 * A live server change the agent died in the middle of: HAProxy may have taken some of its
 * commands. They are sent again (each one sets a value, so a second time changes nothing; an added
 * or deleted server answers that it already was) and the generation is marked running, the way
 * an interrupted apply whose reload went through is. If HAProxy refuses one for another reason,
 * the running generation stays and the difference shows as drift.
 */
async function finishLiveChange(
  change: { generation: number; commands: string[] },
  deps: {
    store: ConfigStore;
    runtime?: Pick<RuntimeApi, 'execute'>;
    log: (m: string) => void;
  },
) {
  const { store, runtime, log } = deps;
  if (!runtime || store.running() === change.generation) return;
  for (const c of change.commands) {
    const refused = await runtime.execute(c).then(
      () => null,
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    if (refused && !DONE_ALREADY.test(refused)) {
      log(
        `an interrupted live change of generation ${change.generation} could not be finished: ${refused}`,
      );
      return;
    }
  }
  // Its files go on disk with the rest of reconcile (restoreRunning), as for any running one.
  store.setRunning(change.generation, 'live');
  log(`an interrupted live change of generation ${change.generation} was finished; marked running`);
}
