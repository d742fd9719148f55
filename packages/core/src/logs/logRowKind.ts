import type { LogRow } from '../api/logRow.js';

/**
 * HAProxy's own messages (a server going DOWN with its check result, a proxy stopping at a
 * reload) arrive on the same channel as requests: the log viewer and `tandemctl logs` show them as what they are, in
 * words, not as a request row with empty cells. A request always has a client; a line that did
 * not parse has its reason.
 */
export function isHaproxyMessage(
  r: Pick<LogRow, 'status' | 'method' | 'parseError' | 'clientIp'>,
): boolean {
  return r.status === null && r.method === null && r.parseError === null && r.clientIp === null;
}
