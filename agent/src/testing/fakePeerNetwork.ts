import { TandemError } from '@tandem/core';
import type { PeerClient } from '../adapters/peerTransport.js';
import { toErrorResponse } from '../http/errors.js';
import type { Route, RouterGuard } from '../http/router.js';

interface Host {
  fingerprint: string;
  routes: readonly Route[];
  guard: RouterGuard;
}

/**
 * Units that talk through the peer routes without sockets (fast unit tests of pairing and sync):
 * each host is an address with a certificate fingerprint, its routes and its guard; a client
 * presents its own fingerprint, and a pin that is not the host's is refused as TLS would.
 * `cut` takes a host off the network (down, or a partition).
 */
export function createFakePeerNetwork() {
  const hosts = new Map<string, Host>();
  const cut = new Set<string>();
  const key = (address: string, port: number) => `${address}:${port}`;
  return {
    attach(address: string, port: number, host: Host) {
      hosts.set(key(address, port), host);
    },
    cut: (address: string, port: number) => void cut.add(key(address, port)),
    heal: (address: string, port: number) => void cut.delete(key(address, port)),
    /** The client a unit with this fingerprint uses, calling from `source`. */
    client(fingerprint: string, source: string): PeerClient {
      return {
        async request(to, method, path, body) {
          const where = key(to.address, to.port);
          const host = hosts.get(where);
          if (!host || cut.has(where) || cut.has(key(source, to.port)))
            throw new TandemError('peer_unavailable', `the unit at ${where} did not answer`);
          if (to.pin !== null && to.pin !== host.fingerprint)
            throw new TandemError(
              'peer_untrusted',
              `the unit at ${where} showed another certificate`,
            );
          const url = new URL(path, 'https://peer');
          const route = host.routes.find((r) => r.method === method && r.path === url.pathname);
          try {
            if (!route) throw new TandemError('not_found', `no route ${method} ${url.pathname}`);
            host.guard.check(method, url.pathname, null, fingerprint);
            const out = await route.handler({
              params: {},
              query: url.searchParams,
              // A copy, as JSON over the wire would be.
              body: JSON.parse(JSON.stringify(body ?? {})) as unknown,
              author: 'peer',
              session: null,
              source,
              peer: fingerprint,
            });
            return {
              status: 200,
              body: JSON.parse(JSON.stringify(out)) as unknown,
              fingerprint: host.fingerprint,
            };
          } catch (e) {
            const r = toErrorResponse(e);
            return { status: r.status, body: r.body, fingerprint: host.fingerprint };
          }
        },
      };
    },
  };
}
