import type { ApplyResponse, PendingConfirm } from '@tandem/core';
import { api } from './api';

/**
 * A change that could cut the operator off waits for the console to confirm it still reaches
 * the unit (ADR 0015). Reading the unit's status again is the proof: if that works through this
 * console, confirm; if it does not, nothing is confirmed and the agent rolls the change back.
 */
export async function confirmReach(pending: PendingConfirm | undefined, path: string) {
  if (!pending) return null;
  await api('GET', '/v1/status');
  return api<PendingConfirm>('POST', path, {});
}

/** POST /v1/apply, confirmed when it asks to be: what the apply panel and forms call. */
export async function applyConfirmed(): Promise<ApplyResponse & { confirmed: string[] }> {
  const r = await api<ApplyResponse>('POST', '/v1/apply', {});
  const c = await confirmReach(r.confirm, '/v1/apply/confirm');
  return { ...r, confirmed: c?.reasons ?? [] };
}
