import type { Server } from 'node:net';
import type { Server as HttpServer } from 'node:http';

/** How long a client may take: to finish the TLS handshake, to send its headers, its request. */
export const LIMITS = {
  handshakeMs: 10_000,
  headersMs: 15_000,
  // A backup restore (up to 16 MB) over a slow admin link still fits.
  requestMs: 120_000,
  /** Open connections from one address: a browser uses 6 to 10; a slow-loris wants thousands. */
  perAddress: 64,
} as const;

/**
 * The console port against slow clients (slow-loris, issue 20): bounded handshake, header and
 * request times, and at most `perAddress` open connections from one address, so one host on the
 * admin LAN holding connections open cannot keep the owner out. Connections past the limit are
 * closed at once, before TLS. (The HTTP redirect port gets the same.)
 */
export function guardConnections(
  server: HttpServer & Server,
  limits: { perAddress: number; headersMs: number; requestMs: number } = LIMITS,
): void {
  server.headersTimeout = limits.headersMs;
  server.requestTimeout = limits.requestMs;
  const open = new Map<string, number>();
  server.on('connection', (socket) => {
    const from = socket.remoteAddress ?? '?';
    const n = (open.get(from) ?? 0) + 1;
    if (n > limits.perAddress) {
      socket.destroy();
      return;
    }
    open.set(from, n);
    socket.once('close', () => {
      const left = (open.get(from) ?? 1) - 1;
      if (left <= 0) open.delete(from);
      else open.set(from, left);
    });
  });
}
