import {
  parseApplianceConfig,
  TandemError,
  unifiedDiff,
  type ApplianceConfig,
  type GenerationSummary,
} from '@tandem/core';
import type { Clock } from '../adapters/clock.js';
import { generationHash } from './generationHash.js';
import type { ConfigStore, GenerationOrigin, GenerationRecord } from '../store/configStore.js';

export interface CommitInput {
  /** The generation this change was made on; null only for the very first one. */
  base: number | null;
  config: ApplianceConfig;
  author: string;
  message: string;
  origin: GenerationOrigin;
}

export interface Generation {
  summary: GenerationSummary;
  config: ApplianceConfig;
}

export function summaryOf(r: GenerationRecord): GenerationSummary {
  return {
    number: r.number,
    hash: r.hash,
    parentHash: r.parentHash,
    author: r.author,
    message: r.message,
    origin: r.origin,
    createdAt: r.createdAt,
    unit: r.unit,
  };
}

/**
 * Generations: every accepted change is a new, numbered, hash-chained record. A change names the
 * generation it was made on; if another change landed since, it is a conflict, never a silent
 * overwrite. Rollback is a new generation with an old config.
 */
export function createGenerationService(deps: {
  store: ConfigStore;
  clock: Clock;
  /** This unit's name, recorded with each change it accepts (the pair's audit: on which unit). */
  unit: string;
}) {
  const { store, clock } = deps;
  const listeners = new Set<(g: GenerationSummary) => void>();

  const load = (r: GenerationRecord): Generation => {
    // Re-validate on the way out: a store written by an older version, or edited by hand, must
    // not reach the renderer unchecked.
    const parsed = parseApplianceConfig(JSON.parse(r.config));
    if (!parsed.ok) {
      throw new TandemError(
        'store_corrupt',
        `generation ${r.number} no longer validates`,
        parsed.errors,
      );
    }
    return { summary: summaryOf(r), config: parsed.value };
  };

  // A generation never changes once written: the one running is parsed and checked once, not
  // each time something asks what runs (the discovery watcher every 2 s, ACME, the store).
  let runningCache: Generation | null = null;

  const get = (n: number): Generation => {
    const r = store.get(n);
    if (!r) throw new TandemError('not_found', `no generation ${n}`);
    return load(r);
  };

  const commit = (input: CommitInput): GenerationSummary => {
    const latest = store.latest();
    const text = JSON.stringify(input.config);
    const parentHash = latest?.hash ?? null;
    const hash = generationHash(parentHash, text);
    const record = store.append(input.base, {
      hash,
      parentHash,
      author: input.author,
      message: input.message,
      origin: input.origin,
      createdAt: clock.now().toISOString(),
      config: text,
      unit: deps.unit,
    });
    if (!record) {
      throw new TandemError(
        'conflict',
        `the change was made on generation ${input.base ?? 'none'}, but generation ${latest?.number ?? 'none'} is the latest: reload and try again`,
      );
    }
    const summary = summaryOf(record);
    for (const l of listeners) l(summary);
    return summary;
  };

  return {
    latest(): Generation | null {
      const r = store.latest();
      return r ? load(r) : null;
    },
    get,
    commit,
    /** A new unit's first generation: `config` as generation 1, unless the store has one (false). */
    seed(config: ApplianceConfig): boolean {
      if (store.latest()) return false;
      commit({
        base: null,
        config,
        author: 'system',
        message: 'initial configuration',
        origin: 'change',
      });
      return true;
    },
    history: (limit = 50, before?: number): GenerationSummary[] => store.list(limit, before),
    /** Hears of each generation committed here (the replication ships it to the peer). */
    onCommit(l: (g: GenerationSummary) => void): () => void {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    /** The generation HAProxy runs (null before the first apply). */
    running: (): number | null => store.running(),
    /** The configuration HAProxy runs (null before the first apply). */
    runningConfig(): ApplianceConfig | null {
      const n = store.running();
      if (n === null) return null;
      // By hash, not number: resolving a conflict can put other content under a number.
      const r = store.get(n);
      if (!r) throw new TandemError('not_found', `no generation ${n}`);
      if (runningCache?.summary.hash !== r.hash) runningCache = load(r);
      return runningCache.config;
    },
    diff(a: number, b: number, render: (g: Generation) => string) {
      const ga = get(a);
      const gb = get(b);
      const labels: [string, string] = [`generation ${a}`, `generation ${b}`];
      return {
        config: unifiedDiff(
          JSON.stringify(ga.config, null, 2),
          JSON.stringify(gb.config, null, 2),
          labels,
        ),
        haproxy: unifiedDiff(render(ga), render(gb), labels),
      };
    },
    rollback(input: {
      base: number | null;
      to: number;
      author: string;
      message: string;
    }): GenerationSummary {
      const target = get(input.to);
      return commit({
        base: input.base,
        config: target.config,
        author: input.author,
        message: input.message || `rollback to generation ${input.to}`,
        origin: 'rollback',
      });
    },
  };
}
export type GenerationService = ReturnType<typeof createGenerationService>;
