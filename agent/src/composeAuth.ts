import { join } from 'node:path';
import { systemClock } from './adapters/clock.js';
import { createScryptHasher } from './adapters/passwordHasher.js';
import type { AgentEnv } from './env.js';
import { createAuthService } from './services/auth.js';
import { openAuthStore } from './store/authStore.js';

/**
 * Part of the agent's composition root (main.ts): console users, sessions and the audit log
 * (auth.db). Made before the sockets and the peer link, which both use it: the console checks
 * sessions with it, and a pair shares its users.
 */
export function composeAuth(env: AgentEnv) {
  return createAuthService({
    store: openAuthStore(join(env.stateDir, 'auth.db')),
    hasher: createScryptHasher(),
    clock: systemClock,
    unit: env.unitName,
  });
}
