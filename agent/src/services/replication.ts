import {
  PeerHead,
  pairCertificates,
  pairDiscovery,
  parseWith,
  SyncAnswer,
  TandemError,
  type SyncEntry,
  type PeerStatus,
  type UnitReadiness,
  vrrpVerdict,
  type SyncPush,
} from '@tandem/core';
import type { Clock } from '../adapters/clock.js';
import type { PeerClient } from '../adapters/peerTransport.js';
import type { ConfigStore, PairingRecord } from '../store/configStore.js';
import type { EventStore } from '../store/eventStore.js';
import { createBackgroundLoop } from './backgroundLoop.js';
import { createPeerApply } from './peerApply.js';
import { entriesBetween, fetchEntries, pushEntries } from './logShipping.js';
import { createConflictResolution } from './logConflicts.js';
import { peerCall } from './peerCall.js';
import { takeEntries, verifyEntries } from './receivedLog.js';
import type { SharedUsers } from './userSync.js';
import type { SharedCertificateSet } from './certificateSync.js';
import type { SharedSettingsSet } from './settingsSync.js';
import { syncBesideTheLog } from './besideTheLog.js';

/** A connected pair checks in this often (status, a peer that came back); failures back off. */
export const HEARTBEAT_MS = 5_000;
const MAX_BACKOFF_MS = 30_000;

export interface ReplicationDeps {
  unitName: string;
  store: Pick<
    ConfigStore,
    | 'latest'
    | 'get'
    | 'hashes'
    | 'running'
    | 'appendReplicated'
    | 'replaceLog'
    | 'archiveAfter'
    | 'pairing'
    | 'setPairing'
  >;
  client: PeerClient;
  /** Applies the latest generation (the normal, serialised apply). */
  apply: () => Promise<unknown>;
  clock: Clock;
  events: Pick<EventStore, 'add'>;
  log: (m: string) => void;
  /** What this unit says of its own readiness (servers, VRRP, identity); null: nothing to say. */
  readiness?: () => UnitReadiness | null;
  /** The console users the pair shares (the auth service). */
  users?: SharedUsers;
  /** The certificates and ACME settings the pair shares (the certificate store). */
  certificates?: SharedCertificateSet;
  /** The settings the pair shares beside the log (notifications). */
  settings?: SharedSettingsSet;
}

/**
 * Sync as a replicated log of generations (ADR 0015). Each generation is the whole shared
 * document with its parent's hash; a unit accepts N+1 only on top of its N, re-checks every
 * hash and re-validates every config as API input, then the peer runs what the sender runs. A
 * round compares heads and ships or fetches what is missing; it runs after each local commit or
 * apply and on a heartbeat, in the background, so the unit where a change is made never waits
 * for its peer. Two heads that do not descend from each other are a conflict, kept and shown,
 * never overwritten.
 */
export function createReplication(d: ReplicationDeps) {
  const now = () => d.clock.now().getTime();
  const status: Omit<PeerStatus, 'unit' | 'address' | 'port' | 'fingerprint' | 'pairedAt'> = {
    state: 'syncing',
    head: null,
    running: null,
    runsSame: false,
    lastContact: null,
    lastSync: null,
    clockSkewMs: null,
    readiness: null,
    vrrp: [],
    certificates: [],
    discovery: [],
    error: null,
    conflict: null,
  };
  /** The peer failed to apply this hash: not asked again until something changes. */
  let failedHash: string | null = null;
  const fresh = { ...status };
  /** The peer the status describes: a new pairing starts from a clean status. */
  let statusFor: string | null = null;
  const pairedPeer = () => {
    const p = d.store.pairing();
    if ((p?.fingerprint ?? null) !== statusFor) {
      Object.assign(status, fresh);
      statusFor = p?.fingerprint ?? null;
      failedHash = null;
    }
    return p;
  };
  let kickedAt: number | null = null;

  const event = (severity: 'info' | 'warning' | 'error', message: string) =>
    d.events.add({ at: now(), kind: 'sync', severity, subject: 'sync', message });

  const call = (p: PairingRecord, method: 'GET' | 'POST', path: string, body?: unknown) =>
    peerCall(d.client, p)(method, path, body);
  const head = (): PeerHead => {
    const latest = d.store.latest();
    const running = d.store.running();
    return {
      unit: d.unitName,
      number: latest?.number ?? 0,
      hash: latest?.hash ?? null,
      running,
      awaitingLog: d.store.pairing()?.awaitingLog ?? false,
      at: now(),
      readiness: d.readiness?.() ?? null,
      usersDigest: d.users?.usersDigest() ?? null,
      certificatesDigest: d.certificates?.digest() ?? null,
      settingsDigest: d.settings?.digest() ?? null,
    };
  };
  const hashAt = (n: number) => (n === 0 ? null : (d.store.get(n)?.hash ?? undefined));
  const runningHash = (running: number | null) => (running === null ? null : hashAt(running));

  const conflict = (p: PairingRecord, peer: { number: number; hash: string | null }) => {
    const mine = d.store.latest();
    if (!status.conflict)
      event(
        'error',
        `the log here (generation ${mine?.number ?? 0}) and on ${p.unit} (generation ${peer.number}) went separate ways: both kept, choose one`,
      );
    status.state = 'conflict';
    status.conflict = {
      here: { number: mine?.number ?? 0, hash: mine?.hash ?? '' },
      peer,
    };
  };

  /** Takes generations the peer sent (or this unit fetched), already verified. */
  const take = (p: PairingRecord, entries: ReturnType<typeof verifyEntries>, replace: boolean) => {
    const r = takeEntries(d.store, p, entries, replace);
    if (r.kind === 'diverged') {
      conflict(p, r.at);
      throw new TandemError(
        'conflict',
        `generation ${r.at.number} differs here: the logs diverged`,
      );
    }
    if (r.kind === 'replaced')
      event(
        'info',
        `took ${p.unit}'s configuration and history (${r.count} generations); this unit's own history is archived`,
      );
  };
  const peerApply = createPeerApply({ store: d.store, apply: d.apply, head, event });
  const conflicts = createConflictResolution({
    unitName: d.unitName,
    store: d.store,
    event: (severity, message) => {
      status.conflict = null;
      event(severity, message);
    },
  });

  /** Asks the peer to run its latest, which is ours: answers what its apply did. */
  const askApply = async (p: PairingRecord, hash: string) => {
    const answer = parseWith(SyncAnswer, await call(p, 'POST', '/peer/v1/apply', { hash }));
    if (!answer.ok)
      throw new TandemError('peer_unavailable', `${p.unit} sent an answer that is not one`);
    return answer.value;
  };

  const round = async (): Promise<void> => {
    const p = pairedPeer();
    if (!p) return;
    const started = now();
    const parsed = parseWith(PeerHead, await call(p, 'GET', '/peer/v1/head'));
    if (!parsed.ok)
      throw new TandemError('peer_unavailable', `${p.unit} sent a head that is not one`);
    let theirs = parsed.value;
    const answered = now();
    status.lastContact = answered;
    status.readiness = theirs.readiness;
    const mineReady = d.readiness?.() ?? null;
    const myVrrp = mineReady?.vrrp ?? [];
    status.vrrp = myVrrp.map((i) => {
      const peer = theirs.readiness?.vrrp.find((v) => v.name === i.name)?.state ?? 'UNKNOWN';
      return { name: i.name, here: i.state, peer, verdict: vrrpVerdict(i.state, peer) };
    });
    status.clockSkewMs = Math.round(theirs.at - (started + answered) / 2);
    status.certificates = pairCertificates(
      mineReady?.certificates ?? [],
      theirs.readiness?.certificates ?? [],
    );
    status.discovery = pairDiscovery(mineReady?.discovery ?? [], theirs.readiness?.discovery ?? []);
    await syncBesideTheLog({
      call: peerCall(d.client, p),
      peer: p.unit,
      theirs,
      awaitingLog: p.awaitingLog,
      users: d.users,
      certificates: d.certificates,
      settings: d.settings,
      log: d.log,
    });
    const mine = d.store.latest();
    const myNumber = mine?.number ?? 0;
    if (p.awaitingLog) {
      status.state = 'syncing';
    } else if (theirs.awaitingLog) {
      await pushEntries(peerCall(d.client, p), d.store, 0, myNumber, true);
      theirs = { ...theirs, number: myNumber, hash: mine?.hash ?? null, awaitingLog: false };
    } else if (theirs.number < myNumber) {
      if (hashAt(theirs.number) !== theirs.hash) return conflict(p, theirs);
      await pushEntries(peerCall(d.client, p), d.store, theirs.number, myNumber);
      theirs = { ...theirs, number: myNumber, hash: mine?.hash ?? null };
    } else if (theirs.number > myNumber) {
      const entries = await fetchEntries(peerCall(d.client, p), p.unit, myNumber);
      if (entries[0]?.parentHash !== (mine?.hash ?? null)) return conflict(p, theirs);
      take(p, verifyEntries(entries), false);
      event(
        'info',
        `took generations ${entries[0]?.number}–${entries.at(-1)?.number} from ${p.unit}`,
      );
      await d.apply().catch(() => undefined);
      loop.again();
      return;
    } else if (theirs.hash !== (mine?.hash ?? null)) {
      return conflict(p, theirs);
    }
    status.conflict = null;
    status.head = { number: theirs.number, hash: theirs.hash };
    status.running = theirs.running;
    // The peer runs what this unit runs, once this unit runs the head (the operator applied it).
    const myRunning = d.store.running();
    const myHash = runningHash(myRunning);
    if (
      myRunning !== null &&
      myRunning === myNumber &&
      theirs.running !== myRunning &&
      myHash &&
      myHash !== failedHash
    ) {
      const answer = await askApply(p, myHash);
      status.running = answer.head.running;
      if (answer.apply.ok) {
        failedHash = null;
        status.lastSync = {
          at: now(),
          generation: myRunning,
          latencyMs: now() - (kickedAt ?? started),
        };
      } else {
        failedHash = myHash;
        status.error = `${p.unit} could not apply generation ${myRunning}: ${answer.apply.error ?? 'unknown'}; it runs ${answer.head.running ?? 'none'}`;
        event('error', status.error);
      }
    }
    status.runsSame =
      status.running !== null && runningHash(status.running) === myHash && myHash !== null;
    status.state =
      failedHash !== null
        ? 'apply-failed'
        : status.runsSame || myRunning === null || myRunning !== myNumber
          ? 'in-sync'
          : 'syncing';
    if (failedHash === null) status.error = null;
  };
  const loop = createBackgroundLoop({
    round,
    heartbeatMs: HEARTBEAT_MS,
    maxBackoffMs: MAX_BACKOFF_MS,
    onError: (e) => {
      const message = e instanceof Error ? e.message : String(e);
      const code = e instanceof TandemError ? e.code : 'peer_unavailable';
      // The peer refusing what was sent (validation) is as loud as a failed apply there.
      status.state =
        code === 'peer_untrusted'
          ? 'untrusted'
          : code === 'conflict'
            ? 'conflict'
            : code === 'peer_unavailable'
              ? 'unreachable'
              : 'apply-failed';
      if (status.error !== message) d.log(`sync: ${message}`);
      status.error = message;
    },
    // The latency of a shipped change counts from the first kick of the run that shipped it.
    onIdle: () => (kickedAt = null),
  });
  const runRounds = () => loop.run();

  return {
    start: () => loop.start(),
    stop: () => loop.stop(),
    /** Something changed here (a commit, an apply, a pairing): a round now, not at the heartbeat. */
    kick() {
      kickedAt ??= now();
      failedHash = null;
      loop.kick();
    },
    /** Runs one round now and waits for it (tests, `tandemctl cluster sync`). */
    syncNow: () => runRounds(),
    head,
    /** POST /peer/v1/generations: the peer ships generations this unit lacks. */
    receive(push: SyncPush): PeerHead {
      const p = pairedPeer();
      if (!p) throw new TandemError('forbidden', 'this unit is not paired');
      take(p, verifyEntries(push.entries), push.replace);
      return head();
    },
    /** GET /peer/v1/generations: what the peer lacks, when it fetches. */
    entriesAfter: (after: number, limit: number): SyncEntry[] =>
      entriesBetween(d.store, after + 1, Math.min(d.store.latest()?.number ?? 0, after + limit)),
    /** POST /peer/v1/apply: run the latest, which must be the hash the peer runs. */
    applyLatest: (hash: string): Promise<SyncAnswer> =>
      peerApply.applyLatest(hash, pairedPeer()?.unit ?? 'the peer'),
    /** One request to the paired peer (pinned), its answer's body; errors as TandemErrors. */
    ask: async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> => {
      const p = pairedPeer();
      if (!p) throw new TandemError('conflict', 'this unit is not paired');
      return call(p, method, path, body);
    },
    /** GET /peer/v1/hashes: every generation's hash, to find where the logs part. */
    hashes: () => d.store.hashes(),

    /**
     * The operator picks the branch to keep after a partition (`keep`: this unit or the peer).
     * The other unit's generations since the logs parted go to its archive, and it takes the
     * kept ones: nothing is deleted, and the audit says who chose.
     */
    async resolve(keep: string, author: string): Promise<void> {
      const p = pairedPeer();
      if (!p) throw new TandemError('conflict', 'this unit is not paired');
      await conflicts.resolve(p, peerCall(d.client, p), keep, author);
      failedHash = null;
      await runRounds();
    },

    /** POST /peer/v1/resolve: the peer's operator kept the peer's branch; this one's goes. */
    peerResolved(r: {
      keep: string;
      ancestor: number;
      ancestorHash: string | null;
      author: string;
    }) {
      conflicts.peerResolved(pairedPeer(), r);
      return head();
    },

    status(): PeerStatus | null {
      const p = pairedPeer();
      if (!p) return null;
      return {
        unit: p.unit,
        address: p.address,
        port: p.port,
        fingerprint: p.fingerprint,
        pairedAt: p.pairedAt,
        ...status,
        ...(p.awaitingLog ? { state: 'syncing' as const } : {}),
        ...peerApply.failure(p.unit),
      };
    },
  };
}
export type Replication = ReturnType<typeof createReplication>;
