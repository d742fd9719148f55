import type { Role } from './authSchemas.js';

/** What a console request needs: nothing (sign-in), any session, an admin, or an admin in sudo mode. */
export type Access = 'public' | 'read' | 'admin' | 'sudo';

const PUBLIC = new Set(['GET /v1/auth/state', 'POST /v1/auth/setup', 'POST /v1/auth/login']);
/** Routes every signed-in user may call although they are not GETs: their own session and password. */
const SELF = new Set([
  'POST /v1/auth/logout',
  'POST /v1/auth/password',
  'POST /v1/auth/sudo',
  'POST /v1/auth/two-factor/start',
  'POST /v1/auth/two-factor/confirm',
  'POST /v1/auth/two-factor/recovery-codes',
  'POST /v1/auth/two-factor/off',
]);
/**
 * Changes that hand the unit to another one or take it away: like the terminal, they need an
 * admin who re-entered the password (a stolen session alone cannot pair the unit with an
 * attacker's, which would receive every configuration and key).
 */
const SUDO = new Set([
  'POST /v1/cluster/pairing-code',
  'POST /v1/cluster/pair',
  'POST /v1/cluster/unpair',
]);

/**
 * The console's access rule, one place: reads need a session, every other method needs an admin,
 * the terminal needs an admin who re-entered the password recently. Deny by default: anything not
 * listed as public or self-service follows the method.
 */
export function requiredAccess(method: string, path: string): Access {
  const key = `${method} ${path}`;
  if (PUBLIC.has(key)) return 'public';
  if (SELF.has(key)) return 'read';
  // A login key is a root shell, like the terminal.
  if (path.startsWith('/v1/system/ssh-keys') && method !== 'GET') return 'sudo';
  if (path.startsWith('/v1/terminal') || SUDO.has(key)) return 'sudo';
  return method === 'GET' || method === 'HEAD' ? 'read' : 'admin';
}

export function allows(role: Role, sudo: boolean, access: Access): boolean {
  if (access === 'public' || access === 'read') return true;
  if (role !== 'admin') return false;
  return access === 'admin' || sudo;
}
