import type { EventInput, ServerStateRow } from '@tandem/core';
import { dnsLookup } from './adapters/dnsLookup.js';
import { createDiscovery } from './services/discovery.js';
import type { GenerationService } from './services/generations.js';

/** How often the agent looks at servers that follow DNS (HAProxy itself follows them). */
const LOOK_EVERY_MS = 2_000;

/**
 * Part of the agent's composition root (main.ts): servers that follow DNS, watched every 2 s
 * while any backend of what runs discovers its servers (a look that is still running is not
 * started again).
 */
export function composeDiscovery(o: {
  generations: Pick<GenerationService, 'runningConfig'>;
  runtime: { showServersState(): Promise<ServerStateRow[]> };
  events: { add: (e: EventInput) => void };
  log: (m: string) => void;
}) {
  const discovery = createDiscovery({
    running: () => o.generations.runningConfig(),
    servers: () => o.runtime.showServersState(),
    lookup: dnsLookup,
    events: o.events,
    now: Date.now,
  });
  let looking = false;
  setInterval(() => {
    if (looking) return;
    looking = true;
    void discovery
      .check()
      .catch((e: unknown) => o.log(`discovery: ${String(e)}`))
      .finally(() => (looking = false));
  }, LOOK_EVERY_MS).unref();
  return discovery;
}
