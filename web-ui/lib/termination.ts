/**
 * HAProxy's two-letter termination state in words (the log viewer's detail drawer). The first
 * letter says who or what ended the session, the second in which phase it was.
 */
const CAUSE: Record<string, string> = {
  '-': 'ended normally',
  C: 'the client aborted',
  S: 'the server aborted or refused',
  P: 'HAProxy aborted it (a rule, or a protocol error)',
  L: 'HAProxy answered it itself',
  R: 'a resource ran out (memory, sockets, ports)',
  I: 'an internal error in HAProxy',
  D: 'the server was marked down and the session killed',
  U: 'the server was marked up and the backup session killed',
  K: 'an administrator killed it',
  c: 'the client timed out',
  s: 'the server timed out',
};
const PHASE: Record<string, string> = {
  '-': '',
  R: 'while waiting for the full request',
  Q: 'while queued for a server',
  C: 'while connecting to the server',
  H: 'while waiting for the response headers',
  D: 'while transferring data',
  L: 'while sending the last data',
  T: 'while tarpitted',
};

export function explainTermination(state: string | null): string {
  if (!state || state.length < 2) return 'unknown';
  const cause = CAUSE[state[0] ?? ''] ?? `unknown cause ${state[0] ?? ''}`;
  const phase = PHASE[state[1] ?? ''] ?? '';
  return phase ? `${cause}, ${phase}` : cause;
}
