import type { ApplianceConfig } from '../model/applianceConfig.js';

export interface OldWorkerPolicy {
  /** hard-stop-after: how long an old worker may keep its connections after a reload. */
  graceMs: number;
  /** Where the grace comes from: set by the operator, or the longest tunnel timeout (capped). */
  source: 'set' | 'tunnel' | 'cap';
  /** Old workers allowed at once; the agent stops the oldest beyond this. */
  maxOldWorkers: number;
}

/**
 * The bound on old workers after a reload (ADR 0014). A fixed minute cut every WebSocket a
 * minute after any apply, although the configuration promised it an hour of idle time: by
 * default the grace follows the longest tunnel timeout of any enabled service, so an apply never
 * ends a tunnel its own configuration still allows, and a cap keeps a forgotten `1d` from holding
 * memory for a day. Pure, so the dry-run preview and the rendered file agree.
 */
export function oldWorkerPolicy(config: ApplianceConfig): OldWorkerPolicy {
  const g = config.global;
  const maxOldWorkers = g.maxOldWorkers;
  if (g.oldWorkerGraceMs !== undefined)
    return { graceMs: g.oldWorkerGraceMs, source: 'set', maxOldWorkers };
  let longest = g.timeouts.tunnel;
  for (const svc of config.services) {
    if (!svc.enabled) continue;
    for (const be of svc.backends) longest = Math.max(longest, be.timeouts.tunnel ?? 0);
  }
  return longest > g.oldWorkerGraceMaxMs
    ? { graceMs: g.oldWorkerGraceMaxMs, source: 'cap', maxOldWorkers }
    : { graceMs: longest, source: 'tunnel', maxOldWorkers };
}
