import {
  parseApplianceConfig,
  type ApplianceConfig,
  type EventInput,
  type UnitReadiness,
} from '@tandem/core';
import { certificateFingerprint } from '../adapters/unitIdentity.js';
import { createSelfSignedPair } from '../adapters/certificates.js';
import { createPeerRoutes, peerGuard } from '../http/peerRoutes.js';
import { createGenerationService } from '../services/generations.js';
import { createPairing } from '../services/pairing.js';
import { scryptKey } from '../services/pairingProof.js';
import { createReplication } from '../services/replication.js';
import { openSqliteConfigStore } from '../store/sqliteConfigStore.js';
import { openAuthStore } from '../store/authStore.js';
import { createAuthService } from '../services/auth.js';
import type { createFakePeerNetwork } from './fakePeerNetwork.js';

export const PEER_PORT = 7443;

/** An identity certificate for a test unit (openssl, once per suite). */
export async function testIdentity() {
  const pair = await createSelfSignedPair('tandem-unit', [], 30);
  return { ...pair, fingerprint: certificateFingerprint(pair.cert) };
}
export type TestIdentity = Awaited<ReturnType<typeof testIdentity>>;

export const config = (services: string[] = []): ApplianceConfig => {
  const r = parseApplianceConfig({
    schemaVersion: 1,
    services: services.map((name, i) => ({
      name,
      mode: 'tcp',
      binds: [{ address: '127.0.0.1', port: 9000 + i }],
      defaultBackend: 'app',
      backends: [{ name: 'app', servers: [{ name: 's1', address: '198.18.0.10', port: 80 }] }],
    })),
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};

/**
 * One unit of a pair for fast tests: a real SQLite store in memory, the real generation,
 * pairing and replication services and peer routes, on a fake network; its apply just marks the
 * latest generation running (or fails when told to). Replication does not run on its own:
 * tests call `syncNow`.
 */
export function fakeUnit(
  net: ReturnType<typeof createFakePeerNetwork>,
  name: string,
  address: string,
  identity: TestIdentity,
) {
  let clock = Date.parse('2026-11-30T12:00:00Z');
  const now = { now: () => new Date(clock) };
  const store = openSqliteConfigStore(':memory:');
  const generations = createGenerationService({ store, clock: now, unit: name });
  generations.seed(config());
  const events: EventInput[] = [];
  const sink = {
    add: (e: EventInput) => {
      events.push(e);
      return { ...e, id: events.length };
    },
  };
  const state = {
    failApply: null as string | null,
    readiness: null as UnitReadiness | null,
  };
  const apply = () => {
    if (state.failApply) return Promise.reject(new Error(state.failApply));
    const latest = store.latest();
    if (latest) store.setRunning(latest.number);
    return Promise.resolve();
  };
  const client = net.client(identity.fingerprint, address);
  // Real users in memory; a hasher that is quick (these tests compare records, not passwords).
  const users = createAuthService({
    store: openAuthStore(':memory:'),
    hasher: {
      hash: (p) =>
        Promise.resolve(
          `scrypt$2$1$1$${'s'.repeat(22)}$${Buffer.from(p.padEnd(32, '.')).toString('base64url')}`,
        ),
      verify: () => Promise.resolve(true),
    },
    clock: now,
    unit: name,
  });
  const replication = createReplication({
    unitName: name,
    store,
    client,
    apply,
    clock: now,
    events: sink,
    log: () => undefined,
    readiness: () => state.readiness,
    users,
  });
  const pairing = createPairing({
    unitName: name,
    identity,
    peerPort: PEER_PORT,
    client,
    store,
    deriveKey: scryptKey({ N: 1024, r: 8, p: 1 }),
    clock: now,
    events: sink,
    log: () => undefined,
    paired: () => undefined,
  });
  const routes = createPeerRoutes({
    pairing,
    replication,
    nodeSettings: null,
    users,
    certificates: null,
    settings: null,
  });
  net.attach(address, PEER_PORT, {
    fingerprint: identity.fingerprint,
    routes,
    guard: peerGuard(() => store.pairing()),
  });
  return {
    name,
    address,
    identity,
    store,
    generations,
    pairing,
    replication,
    /** Its peer routes, for tests that put something in the middle. */
    routes,
    users,
    events,
    state,
    apply,
    advance: (ms: number) => void (clock += ms),
    now: () => clock,
    /** A change made here, as an operator would: committed on the latest, then applied. */
    async change(services: string[]) {
      const g = generations.commit({
        base: store.latest()?.number ?? null,
        config: config(services),
        author: 'admin',
        message: `services ${services.join(',')}`,
        origin: 'change',
      });
      await apply().catch(() => undefined);
      return g;
    },
    log: () =>
      store
        .list(1000)
        .map((g) => `${g.number}:${g.hash.slice(0, 8)}`)
        .reverse(),
  };
}
export type FakeUnit = ReturnType<typeof fakeUnit>;
