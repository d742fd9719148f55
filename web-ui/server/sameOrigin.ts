import type { IncomingMessage } from 'node:http';

/**
 * A state-changing request or a WebSocket upgrade must come from the console's own pages: its
 * Origin must name this very host (scheme https). Browsers always send Origin on those; a request
 * without one (curl, another site's form through some proxy) is refused too.
 */
export function isSameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  const host = req.headers.host;
  if (typeof origin !== 'string' || typeof host !== 'string') return false;
  try {
    const u = new URL(origin);
    return u.protocol === 'https:' && u.host === host;
  } catch {
    return false;
  }
}
