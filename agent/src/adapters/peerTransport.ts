import { createHash } from 'node:crypto';
import { request as httpsRequest, createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { TandemError } from '@tandem/core';

/**
 * Unit-to-unit transport (ADR 0015): HTTPS with TLS 1.3 both ways, each side presenting its
 * identity certificate. Nothing is trusted by a CA: the client compares the server's certificate
 * with the pin before a byte of the request leaves, and the server hands the client's
 * fingerprint to the routes, which compare it with theirs.
 */
export interface PeerEndpoint {
  address: string;
  port: number;
  /** The fingerprint the server must show; null only while pairing (the answer says which it showed). */
  pin: string | null;
}

export interface PeerAnswer {
  status: number;
  body: unknown;
  /** The fingerprint of the certificate the server showed. */
  fingerprint: string;
}

export interface PeerClient {
  request(
    to: PeerEndpoint,
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
    timeoutMs?: number,
  ): Promise<PeerAnswer>;
}

const fingerprintOf = (raw: Buffer | undefined): string | null =>
  raw && raw.length > 0 ? createHash('sha256').update(raw).digest('hex') : null;

/** The client certificate's fingerprint of a request on the peer listener (null: none shown). */
export function clientFingerprint(req: IncomingMessage): string | null {
  const socket = req.socket as Partial<TLSSocket>;
  return fingerprintOf(socket.getPeerCertificate?.()?.raw);
}

export function createPeerClient(identity: { cert: string; key: string }): PeerClient {
  return {
    request(to, method, path, body, timeoutMs = 10_000) {
      const where = `${to.address}:${to.port}`;
      return new Promise<PeerAnswer>((resolve, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const req = httpsRequest({
          host: to.address,
          port: to.port,
          method,
          path,
          cert: identity.cert,
          key: identity.key,
          minVersion: 'TLSv1.3',
          // Self-signed identities: the pin below is the check, not a CA.
          rejectUnauthorized: false,
          agent: false,
          timeout: timeoutMs,
          headers: {
            'content-type': 'application/json',
            ...(payload !== undefined ? { 'content-length': Buffer.byteLength(payload) } : {}),
          },
        });
        let shown: string | null = null;
        req.on('socket', (socket) => {
          socket.once('secureConnect', () => {
            shown = fingerprintOf((socket as TLSSocket).getPeerCertificate().raw);
            if (to.pin !== null && shown !== to.pin) {
              req.destroy(
                new TandemError(
                  'peer_untrusted',
                  `the unit at ${where} showed another certificate (${shown?.slice(0, 16) ?? 'none'}…, pinned ${to.pin.slice(0, 16)}…)`,
                ),
              );
            } else if (payload !== undefined) req.end(payload);
            else req.end();
          });
        });
        req.on('timeout', () =>
          req.destroy(
            new TandemError('peer_unavailable', `the unit at ${where} did not answer in time`),
          ),
        );
        // `timeout` is the socket's idle time: a peer trickling a byte now and then never trips it.
        // The whole exchange gets a bound too (generous: a large sync on a slow link fits).
        const deadline = setTimeout(
          () =>
            req.destroy(
              new TandemError(
                'peer_unavailable',
                `the unit at ${where} did not finish answering within ${(timeoutMs * 6) / 1000} s`,
              ),
            ),
          timeoutMs * 6,
        );
        req.on('close', () => clearTimeout(deadline));
        req.on('error', (e) =>
          reject(
            e instanceof TandemError
              ? e
              : new TandemError(
                  'peer_unavailable',
                  `the unit at ${where} did not answer: ${e.message}`,
                ),
          ),
        );
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > 64 * 1024 * 1024)
              req.destroy(
                new TandemError('peer_unavailable', `the unit at ${where} sent too much`),
              );
            else chunks.push(c);
          });
          res.on('end', () => {
            let parsed: unknown;
            try {
              parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              return reject(
                new TandemError(
                  'peer_unavailable',
                  `the unit at ${where} answered with something that is not JSON`,
                ),
              );
            }
            resolve({ status: res.statusCode ?? 0, body: parsed, fingerprint: shown ?? '' });
          });
        });
      });
    },
  };
}

/** The peer listener: TLS 1.3, asks every client for its certificate, refuses none at TLS level. */
export async function servePeers(o: {
  identity: { cert: string; key: string };
  address: string;
  port: number;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}): Promise<Server> {
  const server = createServer(
    {
      cert: o.identity.cert,
      key: o.identity.key,
      minVersion: 'TLSv1.3',
      requestCert: true,
      // Unpaired units have no pinned certificate yet: the routes decide (pairing is open).
      rejectUnauthorized: false,
    },
    o.handler,
  );
  // Slow or silent clients do not hold sockets for ever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
