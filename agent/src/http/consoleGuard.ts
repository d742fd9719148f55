import { allows, requiredAccess, TandemError } from '@tandem/core';
import type { AuthService } from '../services/auth.js';
import type { RouterGuard } from './router.js';

/**
 * The console socket's gate: every request but sign-in needs a live session, and the session's
 * role must allow the route (core/auth/accessPolicy.ts). Every change that succeeded is audited
 * with the user and, when the answer names one, the generation.
 */
export function consoleGuard(auth: AuthService): RouterGuard {
  return {
    check(method, path, session) {
      const access = requiredAccess(method, path);
      if (access === 'public') return null;
      const s = auth.check(session);
      if (!allows(s.role, s.sudoUntil !== null, access))
        throw new TandemError(
          'forbidden',
          access === 'sudo'
            ? 'enter your password again: this needs an admin in sudo mode'
            : `${s.user} is ${s.role}: this needs an admin`,
        );
      return { user: s.user };
    },
    changed(user, method, path, result) {
      const generation =
        result && typeof result === 'object' && 'generation' in result
          ? JSON.stringify((result as { generation: unknown }).generation)
          : null;
      auth.audit(user, `${method} ${path}`, generation ? `generation ${generation}` : '');
    },
  };
}
