import { APPLY_PHASES } from './services/apply.js';

/** Where a test may have the agent die: each step of an apply, and a live change's commands sent. */
export const CRASH_POINTS = [...APPLY_PHASES, 'live-sent'] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

/**
 * Tests only (TANDEM_CRASH_AT): the agent kills itself with SIGKILL when an apply (or a live
 * change) reaches the named step, so the crash test lands a kill -9 at each step by name rather than after a guessed
 * delay. The line before it tells the test where the kill landed.
 */
export function crashPoint(
  at: CrashPoint | null,
  log: (m: string) => void,
): { phase?: (p: CrashPoint) => void } {
  if (at === null) return {};
  return {
    phase: (p) => {
      if (p !== at) return;
      log(`crash point ${p}: killing the agent (TANDEM_CRASH_AT)`);
      process.kill(process.pid, 'SIGKILL');
    },
  };
}
