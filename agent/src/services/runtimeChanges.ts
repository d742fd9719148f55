import {
  formatRuntimeCommand,
  planAddServers,
  planRemoveServer,
  planServerChange,
  TandemError,
  type ApplianceConfig,
  type GenerationSummary,
  type RuntimeCommand,
  type ServerChange,
} from '@tandem/core';
import type { RuntimeApi } from '../adapters/runtimeApi.js';
import type { EventStore } from '../store/eventStore.js';
import type { ConfigStore } from '../store/configStore.js';
import type { ApplyService } from './apply.js';
import type { GenerationService } from './generations.js';

export interface ServerChangeResult {
  generation: GenerationSummary;
  applied: 'live' | 'reload';
  commands: string[];
}

/**
 * Server state, weight and address changes (seed 003): applied through the Runtime API with no
 * reload, and committed as a generation so the next render matches what runs. The live file is
 * rewritten too, so a restart of HAProxy comes back in the same state. When the unit has
 * unapplied changes, or HAProxy refuses a command, the change goes out by a normal apply.
 */
export function createRuntimeChangeService(deps: {
  generations: GenerationService;
  store: ConfigStore;
  runtime: Omit<RuntimeApi, 'replaceCertificate' | 'setMapEntry'>;
  apply: ApplyService;
  log: (m: string) => void;
  events?: Pick<EventStore, 'add'>;
  /** Tests only: the crash point after HAProxy took the commands (TANDEM_CRASH_AT=live-sent). */
  phase?: (p: 'live-sent') => void;
}) {
  const { generations, store, runtime, apply } = deps;

  const latestOrThrow = () => {
    const latest = generations.latest();
    if (!latest) throw new TandemError('not_found', 'the unit has no configuration yet');
    return latest;
  };

  /**
   * Commits a planned change and makes it run: live through the Runtime API when the unit is in
   * sync and the plan has commands, otherwise (or if HAProxy refuses a command) by an apply.
   */
  const applyPlan = async (
    plan: { config: ApplianceConfig; commands: RuntimeCommand[] | null },
    base: number,
    ctx: { base?: number | null; author: string; message: string },
  ): Promise<ServerChangeResult> => {
    const summary = generations.commit({
      base: ctx.base === undefined ? base : ctx.base,
      config: plan.config,
      author: ctx.author,
      message: ctx.message,
      origin: 'runtime',
    });
    const commands = (plan.commands ?? []).map(formatRuntimeCommand);
    if (plan.commands !== null) {
      // Serialised with applies; "in sync" is decided inside, where no apply can change it.
      const live = await apply.exclusive(async () => {
        if (store.running() !== base) return false;
        // Noted before the first command: a crash from here on is finished at the next start.
        store.setLiveChange({ generation: summary.number, commands });
        try {
          for (const c of commands) await runtime.execute(c);
          deps.phase?.('live-sent');
          await apply.writeLive({ summary, config: plan.config });
          apply.markRunning(summary.number);
          return true;
        } catch (e) {
          deps.log(
            `live change failed, applying by reload: ${e instanceof Error ? e.message : String(e)}`,
          );
          return false;
        } finally {
          store.setLiveChange(null);
        }
      });
      if (live) {
        deps.events?.add({
          at: Date.now(),
          kind: 'runtime',
          severity: 'info',
          subject: `generation ${summary.number}`,
          message: `${ctx.message} (live, no reload)`,
          data: { commands, author: ctx.author },
        });
        return { generation: summary, applied: 'live', commands };
      }
    }
    await apply.apply();
    return { generation: summary, applied: 'reload', commands };
  };

  return {
    async changeServer(
      ref: string,
      change: ServerChange,
      ctx: { base?: number | null; author: string; message: string },
    ) {
      const latest = latestOrThrow();
      const plan = planServerChange(latest.config, ref, change);
      return applyPlan(plan, latest.summary.number, {
        ...ctx,
        message: ctx.message || `${ref}: ${JSON.stringify(change)}`,
      });
    },
    async addServers(
      service: string,
      backend: string,
      servers: readonly unknown[],
      ctx: { base?: number | null; author: string; message: string },
    ) {
      const latest = latestOrThrow();
      const plan = planAddServers(latest.config, service, backend, servers);
      return applyPlan(plan, latest.summary.number, {
        ...ctx,
        message: ctx.message || `add ${servers.length} server(s) to ${service}/${backend}`,
      });
    },
    async removeServer(
      ref: string,
      ctx: { base?: number | null; author: string; message: string },
    ) {
      const latest = latestOrThrow();
      const plan = planRemoveServer(latest.config, ref);
      return applyPlan(plan, latest.summary.number, {
        ...ctx,
        message: ctx.message || `remove server ${ref}`,
      });
    },
  };
}
export type RuntimeChangeService = ReturnType<typeof createRuntimeChangeService>;
