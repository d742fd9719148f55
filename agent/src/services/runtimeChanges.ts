import {
  formatRuntimeCommand,
  parseApplianceConfig,
  planServerChange,
  TandemError,
  type GenerationSummary,
  type ServerChange,
} from '@tandem/core';
import type { FileWriter } from '../adapters/atomicFiles.js';
import type { RuntimeApi } from '../adapters/runtimeApi.js';
import type { ConfigStore } from '../store/configStore.js';
import type { ApplyService, UnitPaths } from './apply.js';
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
  runtime: RuntimeApi;
  apply: ApplyService;
  files: FileWriter;
  paths: UnitPaths;
  log: (m: string) => void;
}) {
  const { generations, store, runtime, apply } = deps;
  return {
    async changeServer(
      ref: string,
      change: ServerChange,
      ctx: { base?: number | null; author: string; message: string },
    ): Promise<ServerChangeResult> {
      const latest = generations.latest();
      if (!latest) throw new TandemError('not_found', 'the unit has no configuration yet');
      const plan = planServerChange(latest.config, ref, change);
      const parsed = parseApplianceConfig(plan.config);
      if (!parsed.ok)
        throw new TandemError('invalid_config', 'the change does not validate', parsed.errors);
      const inSync = store.running() === latest.summary.number;
      const summary = generations.commit({
        base: ctx.base === undefined ? latest.summary.number : ctx.base,
        config: parsed.value,
        author: ctx.author,
        message: ctx.message || `${ref}: ${JSON.stringify(change)}`,
        origin: 'runtime',
      });
      const commands = plan.commands.map(formatRuntimeCommand);
      if (inSync) {
        try {
          for (const c of commands) await runtime.execute(c);
          const bundle = apply.render({ summary, config: parsed.value });
          for (const f of bundle.files) await deps.files.write(f.path, f.content);
          await deps.files.write(deps.paths.config, bundle.config);
          store.setRunning(summary.number);
          return { generation: summary, applied: 'live', commands };
        } catch (e) {
          deps.log(
            `live change failed, applying by reload: ${e instanceof Error ? e.message : String(e)}`,
          );
        }
      }
      await apply.apply();
      return { generation: summary, applied: 'reload', commands };
    },
  };
}
export type RuntimeChangeService = ReturnType<typeof createRuntimeChangeService>;
