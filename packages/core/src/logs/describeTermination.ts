/**
 * HAProxy's termination state (`SC--`, `cD`) in words, for the log viewer: the first character
 * says who ended the session, the second at which step.
 */
const CAUSE: Record<string, string> = {
  '-': 'ended normally',
  C: 'the client aborted',
  S: 'the server aborted or refused',
  P: 'the proxy aborted (a rule or a protocol error)',
  L: 'the proxy answered locally',
  R: 'a resource ran out on the proxy',
  I: 'an internal error in the proxy',
  D: 'the server was marked down and its sessions killed',
  U: 'the server was taken over by a backup server',
  K: 'an administrator killed the session',
  c: 'the client timed out',
  s: 'the server timed out',
};

const PHASE: Record<string, string> = {
  '-': 'after the session completed',
  R: 'while waiting for the request',
  Q: 'while waiting in the queue',
  C: 'while connecting to the server',
  H: 'while waiting for the response headers',
  D: 'while transferring data',
  L: 'while sending the last data',
  T: 'while tarpitted',
};

export function describeTermination(code: string): string {
  const cause = CAUSE[code[0] ?? ''];
  const phase = PHASE[code[1] ?? ''];
  if (!cause || !phase) return `unknown termination state ${code}`;
  if (code[0] === '-' && code[1] === '-') return 'completed normally';
  return code[1] === '-' ? cause : `${cause} ${phase}`;
}
