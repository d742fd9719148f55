import { allows, requiredAccess, TandemError } from '@tandem/core';
import type { AuthService } from '../services/auth.js';
import type { RouterGuard } from './router.js';

/** "generation 7: restored generation 2 of …": which generation a change made, and its message. */
function generationOf(result: unknown): string {
  if (!result || typeof result !== 'object' || !('generation' in result)) return '';
  const g = (result as { generation: unknown }).generation;
  if (g && typeof g === 'object' && 'number' in g) {
    const { number, message } = g as { number: unknown; message?: unknown };
    return `generation ${String(number)}${typeof message === 'string' && message ? `: ${message}` : ''}`;
  }
  return `generation ${JSON.stringify(g)}`;
}

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
      // An admin the sign-in policy requires a second factor of acts as read-only until set up.
      if (s.mustEnrol && !allows('read-only', false, access))
        throw new TandemError(
          'forbidden',
          `two-factor sign-in is required for admins: ${s.user} sets it up under Settings first`,
        );
      if (!allows(s.role, s.sudoUntil !== null, access))
        throw new TandemError(
          'forbidden',
          access === 'sudo'
            ? 'enter your password again: this needs an admin in sudo mode'
            : `${s.user} is ${s.role}: this needs an admin`,
        );
      return { user: s.user };
    },
    changed(user, method, path, result, source) {
      // The auth routes audit themselves, in words (signed in, added a user); a dry run (an
      // answer with a preview) changed nothing.
      if (path.startsWith('/v1/auth/')) return;
      if (result && typeof result === 'object' && 'preview' in result) return;
      auth.audit(user, `${method} ${path}`, generationOf(result), source);
    },
  };
}
