'use client';
import { useEffect, type DependencyList } from 'react';
import { startPoller } from '../lib/poller';

/** Calls `fn` now and every `intervalMs` after it settles (never overlapping), while mounted. */
export function usePoll(
  fn: () => Promise<unknown>,
  intervalMs: number,
  deps: DependencyList,
  enabled = true,
): void {
  useEffect(() => {
    if (!enabled) return;
    return startPoller(fn, intervalMs);
    // The caller names what fn depends on (deps), as with useEffect.
  }, [...deps, enabled, intervalMs]);
}
