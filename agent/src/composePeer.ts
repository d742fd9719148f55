import { join } from 'node:path';
import { systemClock } from './adapters/clock.js';
import { clientFingerprint, createPeerClient, servePeers } from './adapters/peerTransport.js';
import { loadOrCreateIdentity, shortFingerprint } from './adapters/unitIdentity.js';
import type { AgentEnv } from './env.js';
import { createPeerRoutes, peerGuard } from './http/peerRoutes.js';
import { createRouter } from './http/router.js';
import type { ApplyService } from './services/apply.js';
import type { GenerationService } from './services/generations.js';
import { createPairing } from './services/pairing.js';
import { scryptKey } from './services/pairingProof.js';
import type { Peering } from './services/peering.js';
import type { NodeSettings } from './services/nodeSettings.js';
import type { AuthService } from './services/auth.js';
import type { StatsSampler } from './services/statsSampler.js';
import { unitReadiness } from './services/unitReadiness.js';
import type { VrrpService } from './services/vrrp.js';
import { createReplication } from './services/replication.js';
import type { ConfigStore } from './store/configStore.js';
import type { SharedCertificateSet } from './services/certificateSync.js';
import type { CertificateStore } from './services/certificateStore.js';
import type { Acme } from './services/acme.js';
import { sharedSettingsSet } from './services/settingsSync.js';
import type { Notifications } from './services/notifications.js';
import type { EventStore } from './store/eventStore.js';
import type { Discovery } from './services/discovery.js';

/**
 * Part of the agent's composition root (main.ts): the unit's identity, the peer listener
 * (TLS, pinned certificates) with pairing and sync on it, and the replication that follows
 * every commit and apply here. Null when the unit has no peer port (it cannot pair).
 */
export async function composePeer(o: {
  env: AgentEnv;
  store: ConfigStore;
  generations: GenerationService;
  apply: ApplyService;
  nodeSettings: NodeSettings | null;
  sampler: Pick<StatsSampler, 'snapshot'> | null;
  auth: AuthService;
  vrrp: Pick<VrrpService, 'status'> | null;
  events: Pick<EventStore, 'add'>;
  log: (m: string) => void;
  /** What the pair shares of certificates and ACME, and where to hear of their changes. */
  certificates: {
    shared: SharedCertificateSet;
    store: Pick<CertificateStore, 'onChanged' | 'list'>;
    acme: Pick<Acme, 'onChanged'>;
  };
  notifications: Pick<Notifications, 'shared' | 'takeShared' | 'onChanged'>;
  /** Servers from DNS as this unit sees them (the peer compares with its own). */
  discovery: Pick<Discovery, 'status'>;
}): Promise<{ peering: Peering; close: () => void } | null> {
  const { env, store, log } = o;
  if (env.peerPort === 0) return null;
  const identity = await loadOrCreateIdentity(join(env.stateDir, 'identity'));
  const client = createPeerClient(identity);
  const settings = sharedSettingsSet(o.notifications);
  const replication = createReplication({
    unitName: env.unitName,
    store,
    client,
    apply: () => o.apply.apply(),
    clock: systemClock,
    events: o.events,
    log,
    users: o.auth,
    certificates: o.certificates.shared,
    settings,
    readiness: () =>
      unitReadiness({
        snapshot: o.sampler?.snapshot() ?? null,
        vrrp: o.vrrp?.status() ?? null,
        identityNotAfter: identity.notAfter,
        certificates: o.certificates.store.list(),
        discovery: o.discovery.status(),
      }),
  });
  const pairing = createPairing({
    unitName: env.unitName,
    identity,
    peerPort: env.peerPort,
    client,
    store,
    deriveKey: scryptKey(),
    clock: systemClock,
    events: o.events,
    log,
    paired: (record) => {
      if (record.role === 'joiner') o.auth.yieldUsersToPeer(record.unit);
      replication.kick();
    },
  });
  const stopCommits = o.generations.onCommit(() => replication.kick());
  // The pair's peers section follows pairing and this unit's cluster settings: re-render.
  const reapply = () =>
    void o.apply.apply().catch((e: unknown) => log(`apply after a pairing change: ${String(e)}`));
  const stopPairing = pairing.onChange(reapply);
  const stopSettings = o.nodeSettings?.onChange(reapply);
  const stopUsers = o.auth.onUsersChange(() => replication.kick());
  const stopCertificates = o.certificates.store.onChanged(() => replication.kick());
  const stopAcme = o.certificates.acme.onChanged(() => replication.kick());
  const stopNotifications = o.notifications.onChanged(() => replication.kick());
  const stopApplies = o.apply.onSettled(() => replication.kick());
  const routes = createPeerRoutes({
    pairing,
    replication,
    nodeSettings: o.nodeSettings,
    users: o.auth,
    certificates: o.certificates.shared,
    settings,
  });
  const server = await servePeers({
    identity,
    address: env.peerAddress,
    port: env.peerPort,
    handler: createRouter(
      routes,
      log,
      peerGuard(() => store.pairing()),
      clientFingerprint,
    ),
  });
  replication.start();
  log(
    `peer listener on ${env.peerAddress}:${env.peerPort}; identity ${shortFingerprint(identity.fingerprint)}`,
  );
  return {
    peering: {
      identity: () => ({
        fingerprint: identity.fingerprint,
        shortFingerprint: shortFingerprint(identity.fingerprint),
        notAfter: identity.notAfter,
      }),
      pairing,
      replication,
    },
    close: () => {
      stopCommits();
      stopApplies();
      stopPairing();
      stopSettings?.();
      stopUsers();
      stopCertificates();
      stopAcme();
      stopNotifications();
      replication.stop();
      server.close();
    },
  };
}
