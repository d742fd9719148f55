import type { DiscoveryStatus } from '@tandem/core';
import type { ApiClient } from './apiClient.js';
import { table } from './table.js';

const ago = (at: number, now: number) => `${Math.max(0, Math.round((now - at) / 1000))} s`;

/**
 * `tandemctl discovery`: backends whose servers follow DNS, as this unit sees them: each filled
 * slot (address, port, weight, health, for how long) and what the name last answered.
 */
export async function runDiscovery(
  api: ApiClient,
  out: (line: string) => void,
  json: boolean,
  now = Date.now(),
): Promise<number> {
  const list = await api.get<DiscoveryStatus[]>('/v1/discovery');
  if (json) {
    out(JSON.stringify(list, null, 2));
    return 0;
  }
  if (list.length === 0) {
    out('no backend follows DNS');
    return 0;
  }
  for (const d of list) {
    const answer = d.answer
      ? d.answer.error
        ? `not answered: ${d.answer.error}`
        : `${d.answer.count} record(s)`
      : 'not asked yet';
    out(
      `${d.service}.${d.backend}: ${d.type} ${d.name}, ${d.members.length} of ${d.slots} slots filled; ${answer}`,
    );
    if (d.members.length > 0)
      out(
        table([
          ['SLOT', 'ADDRESS', 'PORT', 'WEIGHT', 'HEALTH', 'FOR'],
          ...d.members.map((m) => [
            m.slot,
            m.address,
            String(m.port),
            String(m.weight),
            m.up ? 'up' : 'down',
            ago(m.since, now),
          ]),
        ]),
      );
  }
  return 0;
}
