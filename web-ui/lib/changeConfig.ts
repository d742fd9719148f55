import type { ApplianceConfig } from '@tandem/core';
import { api } from './api';
import { applyConfirmed } from './confirmed';

/**
 * A change to the whole configuration from a console form, then applied: the latest generation
 * read, changed, committed on it (a change made elsewhere meanwhile is a conflict, not lost) and
 * applied (confirmed when it could cut the console off). Field errors come back from the agent.
 */
export async function changeConfig(
  message: string,
  /** From what runs to what to commit: model input (defaults may be left out), checked by the agent. */
  change: (c: ApplianceConfig) => object,
): ReturnType<typeof applyConfirmed> {
  const current = await api<{ generation: number; config: ApplianceConfig }>('GET', '/v1/config');
  await api('PUT', '/v1/config', {
    base: current.generation,
    message,
    config: change(current.config),
  });
  return applyConfirmed();
}
