import { ErrorBody, parseWith, TandemError } from '@tandem/core';
import type { PeerClient } from '../adapters/peerTransport.js';
import type { PairingRecord } from '../store/configStore.js';

/** One JSON request to the paired peer, pinned to its certificate; its answer's body. */
export type PeerCall = (method: 'GET' | 'POST', path: string, body?: unknown) => Promise<unknown>;

/**
 * Requests to the paired unit. The peer's refusal of what this unit asked (bad settings, a
 * conflict) keeps its code and fields, so the operator sees which field; anything else (down,
 * 5xx, not its certificate) is the peer failing.
 */
export function peerCall(client: PeerClient, p: PairingRecord): PeerCall {
  return async (method, path, body) => {
    const a = await client.request(
      { address: p.address, port: p.port, pin: p.fingerprint },
      method,
      path,
      body,
      60_000,
    );
    if (a.status === 200) return a.body;
    const e = parseWith(ErrorBody, a.body);
    const refused =
      e.ok && a.status < 500 && !['unauthorized', 'forbidden'].includes(e.value.error.code);
    throw new TandemError(
      refused && e.ok ? e.value.error.code : 'peer_unavailable',
      `${p.unit} answered ${a.status}: ${e.ok ? e.value.error.message : 'no reason given'}`,
      e.ok ? e.value.error.fields : [],
    );
  };
}
