import {
  ErrorBody,
  PeerHead,
  parseApplianceConfig,
  parseWith,
  SyncAnswer,
  SyncEntry,
  TandemError,
  type PeerStatus,
  type UnitReadiness,
  type UserRecord,
  UserRecords,
  vrrpVerdict,
  type SyncPush,
} from '@tandem/core';
import type { Clock } from '../adapters/clock.js';
import type { PeerClient } from '../adapters/peerTransport.js';
import type { ConfigStore, GenerationRecord, PairingRecord } from '../store/configStore.js';
import type { EventStore } from '../store/eventStore.js';
import { generationHash } from './generationHash.js';
import { summaryOf } from './generations.js';

/** A connected pair checks in this often (status, a peer that came back); failures back off. */
export const HEARTBEAT_MS = 5_000;
const MAX_BACKOFF_MS = 30_000;
const BATCH = 100;

const toEntry = (r: GenerationRecord): SyncEntry => ({ ...summaryOf(r), config: r.config });

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
  users?: {
    usersDigest(): string;
    userRecords(): UserRecord[];
    takeUserRecords(records: readonly UserRecord[], peer: string): number;
  };
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
    error: null,
    conflict: null,
  };
  /** The peer failed to apply this hash: not asked again until something changes. */
  let failedHash: string | null = null;
  /** This unit failed to apply what its peer runs (shown here until it runs it). */
  let ownFailure: { generation: number; error: string } | null = null;
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
  let timer: NodeJS.Timeout | null = null;
  let again = false;
  let stopped = true;
  let backoff = 0;
  let kickedAt: number | null = null;

  const event = (severity: 'info' | 'warning' | 'error', message: string) =>
    d.events.add({ at: now(), kind: 'sync', severity, subject: 'sync', message });

  const endpoint = (p: PairingRecord) => ({ address: p.address, port: p.port, pin: p.fingerprint });
  const call = async (p: PairingRecord, method: 'GET' | 'POST', path: string, body?: unknown) => {
    const a = await d.client.request(endpoint(p), method, path, body, 60_000);
    if (a.status !== 200) {
      // The peer's refusal of what this unit asked (bad settings, a conflict) keeps its code
      // and fields, so the operator sees which field; anything else is the peer failing.
      const e = parseWith(ErrorBody, a.body);
      const refused =
        e.ok && a.status < 500 && !['unauthorized', 'forbidden'].includes(e.value.error.code);
      throw new TandemError(
        refused && e.ok ? e.value.error.code : 'peer_unavailable',
        `${p.unit} answered ${a.status}: ${e.ok ? e.value.error.message : 'no reason given'}`,
        e.ok ? e.value.error.fields : [],
      );
    }
    return a.body;
  };
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

  /** Checks a batch from the peer as untrusted input: chain, hashes, and each config's validity. */
  const verify = (entries: readonly SyncEntry[]): GenerationRecord[] =>
    entries.map((e, i) => {
      const prev = entries[i - 1];
      if (prev && (e.number !== prev.number + 1 || e.parentHash !== prev.hash))
        throw new TandemError(
          'bad_request',
          `generation ${e.number} does not follow ${prev.number}`,
          [{ path: `entries[${i}].parentHash`, message: 'does not chain to the previous entry' }],
        );
      if (generationHash(e.parentHash, e.config) !== e.hash)
        throw new TandemError(
          'bad_request',
          `generation ${e.number}: the hash does not match its content`,
          [{ path: `entries[${i}].hash`, message: 'does not match the config it carries' }],
        );
      let json: unknown;
      try {
        json = JSON.parse(e.config);
      } catch {
        throw new TandemError('bad_request', `generation ${e.number}: the config is not JSON`, [
          { path: `entries[${i}].config`, message: 'not JSON' },
        ]);
      }
      const parsed = parseApplianceConfig(json);
      if (!parsed.ok)
        throw new TandemError(
          'invalid_config',
          `generation ${e.number} from the peer does not validate here`,
          parsed.errors.map((f) => ({
            path: `entries[${i}].config.${f.path}`,
            message: f.message,
          })),
        );
      return { ...e };
    });

  /** Takes a batch the peer sent (or this unit fetched): appended, or the whole log on joining. */
  const take = (p: PairingRecord, entries: GenerationRecord[], replace: boolean): void => {
    if (replace) {
      if (!p.awaitingLog)
        throw new TandemError(
          'conflict',
          'this unit already has the cluster log: it is not replaced',
        );
      if (entries[0]?.number !== 1 || entries[0].parentHash !== null)
        throw new TandemError('bad_request', 'a whole log starts at generation 1');
      d.store.replaceLog(entries, `paired with ${p.unit}: its log replaces this unit's`);
      d.store.setPairing({ ...p, awaitingLog: false });
      event(
        'info',
        `took ${p.unit}'s configuration and history (${entries.length} generations); this unit's own history is archived`,
      );
      return;
    }
    if (p.awaitingLog)
      throw new TandemError('conflict', 'this unit waits for the whole cluster log first');
    const latest = d.store.latest()?.number ?? 0;
    // Already here (a retry after a lost answer): the same hashes are fine, others a conflict.
    const present = entries.filter((e) => {
      if (e.number > latest) return false;
      if (hashAt(e.number) !== e.hash) {
        conflict(p, { number: e.number, hash: e.hash });
        throw new TandemError('conflict', `generation ${e.number} differs here: the logs diverged`);
      }
      return true;
    });
    const rest = entries.slice(present.length);
    if (rest.length === 0) return;
    if (!d.store.appendReplicated(rest))
      throw new TandemError(
        'conflict',
        `generation ${rest[0]?.number} does not sit on this unit's generation ${latest}`,
      );
  };

  /** The last generation both logs hold with the same hash (0: none). */
  const commonAncestor = async (p: PairingRecord): Promise<number> => {
    const body = await call(p, 'GET', '/peer/v1/hashes');
    const theirs = new Map(
      (Array.isArray(body) ? body : []).map((h: { number: number; hash: string }) => [
        h.number,
        h.hash,
      ]),
    );
    let n = 0;
    for (const h of d.store.hashes()) {
      if (theirs.get(h.number) !== h.hash) break;
      n = h.number;
    }
    return n;
  };
  const archiveBranch = (after: number, winner: string): number => {
    const moved = d.store.archiveAfter(after, `conflict resolved: ${winner}'s branch kept`);
    status.conflict = null;
    event(
      'warning',
      `conflict resolved: ${winner}'s branch kept; this unit's ${moved} generation(s) after ${after} archived`,
    );
    return moved;
  };

  /**
   * Console users: when the digests differ, each unit takes the other's newer records (the
   * peer's first, then it gets this unit's merged set), so both end with the same users.
   */
  const syncUsers = async (
    p: PairingRecord,
    users: NonNullable<ReplicationDeps['users']>,
    theirDigest: string,
  ) => {
    if (users.usersDigest() === theirDigest) return;
    const r = parseWith(UserRecords, await call(p, 'GET', '/peer/v1/users'));
    if (!r.ok) throw new TandemError('peer_unavailable', `${p.unit} sent users that are not ones`);
    const taken = users.takeUserRecords(r.value.records, p.unit);
    await call(p, 'POST', '/peer/v1/users', { records: users.userRecords() });
    if (taken > 0) d.log(`sync: took ${taken} user change(s) from ${p.unit}`);
  };

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
    const myVrrp = d.readiness?.()?.vrrp ?? [];
    status.vrrp = myVrrp.map((i) => {
      const peer = theirs.readiness?.vrrp.find((v) => v.name === i.name)?.state ?? 'UNKNOWN';
      return { name: i.name, here: i.state, peer, verdict: vrrpVerdict(i.state, peer) };
    });
    status.clockSkewMs = Math.round(theirs.at - (started + answered) / 2);
    if (d.users && !p.awaitingLog && !theirs.awaitingLog && theirs.usersDigest !== null)
      await syncUsers(p, d.users, theirs.usersDigest);
    const mine = d.store.latest();
    const myNumber = mine?.number ?? 0;
    if (p.awaitingLog) {
      status.state = 'syncing';
    } else if (theirs.awaitingLog) {
      for (let from = 1; from <= myNumber; from += BATCH) {
        const entries = range(from, Math.min(myNumber, from + BATCH - 1));
        await call(p, 'POST', '/peer/v1/generations', { entries, replace: from === 1 });
      }
      theirs = { ...theirs, number: myNumber, hash: mine?.hash ?? null, awaitingLog: false };
    } else if (theirs.number < myNumber) {
      if (hashAt(theirs.number) !== theirs.hash) return conflict(p, theirs);
      for (let from = theirs.number + 1; from <= myNumber; from += BATCH)
        await call(p, 'POST', '/peer/v1/generations', {
          entries: range(from, Math.min(myNumber, from + BATCH - 1)),
        });
      theirs = { ...theirs, number: myNumber, hash: mine?.hash ?? null };
    } else if (theirs.number > myNumber) {
      const body = await call(p, 'GET', `/peer/v1/generations?after=${myNumber}&limit=${BATCH}`);
      const list = Array.isArray(body) ? body.map((e) => parseWith(SyncEntry, e)) : [];
      const entries = list.flatMap((r) => (r.ok ? [r.value] : []));
      if (entries.length === 0 || entries.length !== list.length)
        throw new TandemError('peer_unavailable', `${p.unit} sent generations that are not ones`);
      if (entries[0]?.parentHash !== (mine?.hash ?? null)) return conflict(p, theirs);
      take(p, verify(entries), false);
      event(
        'info',
        `took generations ${entries[0]?.number}–${entries.at(-1)?.number} from ${p.unit}`,
      );
      await d.apply().catch(() => undefined);
      again = true;
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
  const range = (from: number, to: number): SyncEntry[] => {
    const out: SyncEntry[] = [];
    for (let n = from; n <= to; n++) {
      const r = d.store.get(n);
      if (r) out.push(toEntry(r));
    }
    return out;
  };

  const schedule = (ms: number) => {
    if (timer) clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(() => void loop(), ms);
    timer.unref();
  };
  /**
   * Rounds until nothing asks for another. A caller that finds a loop running waits for it,
   * and it runs one more round for that caller: an answer never reports an older state.
   */
  let current: Promise<void> | null = null;
  const loop = (): Promise<void> => {
    if (current) {
      again = true;
      return current;
    }
    current = (async () => {
      do {
        again = false;
        try {
          await round();
          backoff = 0;
        } catch (e) {
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
          backoff = Math.min(MAX_BACKOFF_MS, Math.max(1000, backoff * 2));
        }
      } while (again);
    })().finally(() => {
      current = null;
      kickedAt = null;
      schedule(backoff || HEARTBEAT_MS);
    });
    return current;
  };

  return {
    start() {
      stopped = false;
      schedule(0);
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
    /** Something changed here (a commit, an apply, a pairing): a round now, not at the heartbeat. */
    kick() {
      kickedAt ??= now();
      failedHash = null;
      if (!stopped) void loop();
    },
    /** Runs one round now and waits for it (tests, `tandemctl cluster sync`). */
    syncNow: () => loop(),
    head,
    /** POST /peer/v1/generations: the peer ships generations this unit lacks. */
    receive(push: SyncPush): PeerHead {
      const p = pairedPeer();
      if (!p) throw new TandemError('forbidden', 'this unit is not paired');
      take(p, verify(push.entries), push.replace);
      return head();
    },
    /** GET /peer/v1/generations: what the peer lacks, when it fetches. */
    entriesAfter: (after: number, limit: number): SyncEntry[] =>
      range(after + 1, Math.min(d.store.latest()?.number ?? 0, after + limit)),
    /** POST /peer/v1/apply: run the latest, which must be the hash the peer runs. */
    async applyLatest(hash: string): Promise<SyncAnswer> {
      const latest = d.store.latest();
      if (!latest || latest.hash !== hash)
        throw new TandemError('conflict', 'the generation to run is not the latest here');
      try {
        await d.apply();
        ownFailure = null;
        return { head: head(), apply: { ok: true, running: d.store.running(), error: null } };
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        // Raised here too, not only on the unit that shipped it: this unit runs an older one.
        ownFailure = { generation: latest.number, error };
        event(
          'error',
          `could not apply generation ${latest.number}, which ${pairedPeer()?.unit ?? 'the peer'} runs: ${error}; this unit runs ${d.store.running() ?? 'none'}`,
        );
        return { head: head(), apply: { ok: false, running: d.store.running(), error } };
      }
    },
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
      if (keep !== d.unitName && keep !== p.unit)
        throw new TandemError('bad_request', `keep must be ${d.unitName} or ${p.unit}`, [
          { path: 'keep', message: `must be ${d.unitName} or ${p.unit}` },
        ]);
      const ancestor = await commonAncestor(p);
      const mine = d.store.latest();
      if (keep === d.unitName) {
        await call(p, 'POST', '/peer/v1/resolve', {
          keep,
          ancestor,
          ancestorHash: hashAt(ancestor) ?? null,
          author,
        });
        status.conflict = null;
        event(
          'warning',
          `${author} resolved the conflict: this unit's branch (generation ${mine?.number ?? 0}) kept`,
        );
      } else {
        archiveBranch(ancestor, `${p.unit} (chosen by ${author})`);
      }
      failedHash = null;
      await loop();
    },

    /** POST /peer/v1/resolve: the peer's operator kept the peer's branch; this one's goes. */
    peerResolved(r: {
      keep: string;
      ancestor: number;
      ancestorHash: string | null;
      author: string;
    }) {
      const p = pairedPeer();
      if (!p || r.keep !== p.unit)
        throw new TandemError(
          'conflict',
          'only the kept unit may tell this one to archive its branch',
        );
      if ((hashAt(r.ancestor) ?? null) !== r.ancestorHash)
        throw new TandemError(
          'conflict',
          `generation ${r.ancestor} differs here: not a common ancestor`,
        );
      archiveBranch(r.ancestor, `${p.unit} (chosen by ${r.author} there)`);
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
        ...(ownFailure && d.store.running() !== ownFailure.generation
          ? {
              state: 'apply-failed' as const,
              error: `this unit could not apply generation ${ownFailure.generation}, which ${p.unit} runs: ${ownFailure.error}; it runs ${d.store.running() ?? 'none'}`,
            }
          : {}),
      };
    },
  };
}
export type Replication = ReturnType<typeof createReplication>;
