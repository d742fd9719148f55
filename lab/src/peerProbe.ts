#!/usr/bin/env node
/**
 * One request on the peer port, as a unit (or a stranger) would send it, run inside a lab
 * namespace by the HA tests: `node peerProbe.js IDENTITY_DIR ADDRESS PORT PIN|- METHOD PATH [BODY]`.
 * IDENTITY_DIR holds identity.crt/.key (a unit's, or a new stranger's made on first use).
 * Prints {status, body, fingerprint} or {error, code} as JSON.
 */
import { createPeerClient } from '@tandem/agent/adapters/peerTransport';
import { loadOrCreateIdentity } from '@tandem/agent/adapters/unitIdentity';

const [dir, address, port, pin, method, path, body] = process.argv.slice(2);
try {
  const identity = await loadOrCreateIdentity(dir ?? '');
  const answer = await createPeerClient(identity).request(
    { address: address ?? '', port: Number(port), pin: pin === '-' ? null : (pin ?? null) },
    (method ?? 'GET') as 'GET' | 'POST',
    path ?? '/',
    body === undefined ? undefined : (JSON.parse(body) as unknown),
  );
  console.log(JSON.stringify(answer));
} catch (e) {
  const code = (e as { code?: unknown }).code;
  console.log(JSON.stringify({ error: e instanceof Error ? e.message : String(e), code }));
}
