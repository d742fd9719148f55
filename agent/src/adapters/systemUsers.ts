import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface Identity {
  uid: number;
  gid: number;
}

/** The unprivileged user the console server runs as (created by the image and ensure-system.sh). */
export const CONSOLE_USER = 'tandem-console';

/** A user's uid and primary gid from /etc/passwd (Node has no getpwnam); null when absent. */
export function lookupUser(name: string, passwd = '/etc/passwd'): Identity | null {
  let text: string;
  try {
    text = readFileSync(passwd, 'utf8');
  } catch {
    return null;
  }
  for (const line of text.split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid !== undefined && gid !== undefined)
      return { uid: Number(uid), gid: Number(gid) };
  }
  return null;
}

/** A group's gid from a number or a name in /etc/group; null when absent. */
export function lookupGroup(nameOrId: string, group = '/etc/group'): number | null {
  if (/^\d+$/.test(nameOrId)) return Number(nameOrId);
  try {
    for (const line of readFileSync(group, 'utf8').split('\n')) {
      const [name, , gid] = line.split(':');
      if (name === nameOrId && gid !== undefined) return Number(gid);
    }
  } catch {
    // No group file: no such group.
  }
  return null;
}

/**
 * Whether `who` may reach `path`: search permission on every directory above it. The dev unit
 * and the tests check this before running the console as its own user from a checkout, which
 * may sit under a home directory nobody else may enter.
 */
export function canTraverse(path: string, who: Identity): boolean {
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    const st = statSync(dir);
    const bit = st.uid === who.uid ? 0o100 : st.gid === who.gid ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) return false;
    if (dir === dirname(dir)) return true;
  }
}

/**
 * Who the console server should run as when started by root: its own user, if it exists and
 * can reach the console's files; otherwise null with the reason (the caller says it out loud).
 */
export function consoleIdentity(
  webUiDir: string,
): { identity: Identity; reason?: undefined } | { identity: null; reason: string } {
  if (process.getuid?.() !== 0) return { identity: null, reason: 'not started as root' };
  const user = lookupUser(CONSOLE_USER);
  if (!user)
    return {
      identity: null,
      reason: `no ${CONSOLE_USER} user (scripts/ensure-system.sh creates it)`,
    };
  if (!canTraverse(webUiDir, user))
    return { identity: null, reason: `${CONSOLE_USER} cannot reach ${webUiDir}` };
  return { identity: user };
}
