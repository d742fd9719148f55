/**
 * HAProxy's status column carries transitions ("UP 1/3" = up, failing checks; "DOWN 1/2" = down,
 * recovering) and reasons ("MAINT (via web.app/s1)"). Events and charts want the state itself.
 */
export const ENTITY_STATES = [
  'UP',
  'DOWN',
  'MAINT',
  'DRAIN',
  'NOLB',
  'OPEN',
  'STOP',
  'NOCHECK',
] as const;
export type EntityState = (typeof ENTITY_STATES)[number] | 'UNKNOWN';

export function entityState(status: string): EntityState {
  const s = status.trim().toUpperCase();
  if (s.startsWith('MAINT')) return 'MAINT';
  if (s.startsWith('DRAIN')) return 'DRAIN';
  if (s === 'NO CHECK') return 'NOCHECK';
  const word = s.split(' ')[0] ?? '';
  return (ENTITY_STATES as readonly string[]).includes(word) ? (word as EntityState) : 'UNKNOWN';
}

/** A state as a small integer for storage (0 = unknown), and back. */
export const stateCode = (s: EntityState): number => ENTITY_STATES.indexOf(s as never) + 1;
export const stateFromCode = (n: number): EntityState => ENTITY_STATES[n - 1] ?? 'UNKNOWN';
