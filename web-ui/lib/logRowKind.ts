import type { LogRow } from '@tandem/core';

/**
 * HAProxy's own messages (a server going DOWN with its check result, a proxy stopping at a
 * reload) arrive on the same channel as requests: the log viewer shows them as what they are, in
 * words, not as a request row with empty cells. A request always has a client; a line that did
 * not parse has its reason.
 */
export function isMessage(r: LogRow): boolean {
  return r.status === null && r.method === null && r.parseError === null && r.clientIp === null;
}
