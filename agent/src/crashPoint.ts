import type { ApplyPhase } from './services/apply.js';

/**
 * Tests only (TANDEM_CRASH_AT): the agent kills itself with SIGKILL when an apply reaches the
 * named step, so the crash test lands a kill -9 at each step by name rather than after a guessed
 * delay. The line before it tells the test where the kill landed.
 */
export function crashPoint(
  at: ApplyPhase | null,
  log: (m: string) => void,
): { phase?: (p: ApplyPhase) => void } {
  if (at === null) return {};
  return {
    phase: (p) => {
      if (p !== at) return;
      log(`crash point ${p}: killing the agent (TANDEM_CRASH_AT)`);
      process.kill(process.pid, 'SIGKILL');
    },
  };
}
