import { randomBytes } from 'node:crypto';
import {
  formatPairingCode,
  PairHello,
  pairingCodeFrom,
  PairWelcome,
  parseWith,
  TandemError,
  type PairJoin,
  type PairRequest,
} from '@tandem/core';
import type { Clock } from '../adapters/clock.js';
import type { PeerAnswer, PeerClient, PeerEndpoint } from '../adapters/peerTransport.js';
import { certificateFingerprint, type UnitIdentity } from '../adapters/unitIdentity.js';
import type { ConfigStore, PairingRecord } from '../store/configStore.js';
import type { EventStore } from '../store/eventStore.js';
import { pairingProof, proofMatches, type DeriveKey } from './pairingProof.js';

/** A code lives ten minutes and survives five wrong tries; a challenge lives one minute. */
export const CODE_TTL_MS = 10 * 60_000;
export const MAX_FAILURES = 5;
const CHALLENGE_TTL_MS = 60_000;
const MAX_CHALLENGES = 8;

const nonce = () => randomBytes(32).toString('base64url');
/** An IPv4 client on a dual-stack socket, as the operator would write it. */
const plainAddress = (a: string) => a.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');

export interface PairingDeps {
  unitName: string;
  identity: Pick<UnitIdentity, 'cert' | 'fingerprint'>;
  /** The peer port this unit listens on (the other unit calls back on it). */
  peerPort: number;
  client: PeerClient;
  store: Pick<ConfigStore, 'pairing' | 'setPairing'>;
  deriveKey: DeriveKey;
  clock: Clock;
  events: Pick<EventStore, 'add'>;
  log: (m: string) => void;
  /** A pair was made (either side): the replication starts. */
  paired: (p: PairingRecord) => void;
}

/**
 * Pairing (ADR 0015), both sides of it. The unit that joins shows a one-time code; the operator
 * types it on the other unit with the joiner's address. Two requests over TLS: `hello` gives a
 * single-use challenge; `join` carries the inviter's certificate and its proof of the code,
 * answered by the joiner's certificate and proof. Each side then pins the other's certificate.
 * The joiner takes the inviter's configuration (its own history is archived).
 */
export function createPairing(d: PairingDeps) {
  let code: { value: string; expiresAt: number; failures: number } | null = null;
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const l of listeners) l();
  };
  /** Two units of one name cannot be told apart (VRRP, HAProxy's peers, the audit). */
  const distinct = (other: string) => {
    if (other === d.unitName)
      throw new TandemError(
        'conflict',
        `both units are named ${other}: give one of them another name (TANDEM_UNIT_NAME) first`,
      );
  };
  const challenges = new Map<string, number>();
  const now = () => d.clock.now().getTime();
  const event = (severity: 'info' | 'warning', message: string) =>
    d.events.add({ at: now(), kind: 'sync', severity, subject: 'pairing', message });
  const notPaired = () => {
    const p = d.store.pairing();
    if (p)
      throw new TandemError(
        'conflict',
        `this unit is already paired with ${p.unit} (${p.address}): unpair first`,
      );
  };
  /** The code in force, or why there is none (said the same way to every caller). */
  const activeCode = () => {
    if (code && code.expiresAt <= now()) code = null;
    if (!code)
      throw new TandemError(
        'forbidden',
        'no pairing code is active on that unit (none shown, expired, used or burnt by wrong tries)',
      );
    return code;
  };

  const refuse = (message: string, source: string): never => {
    event('warning', `pairing refused from ${source}: ${message}`);
    throw new TandemError('forbidden', message);
  };

  return {
    /** Shows a new code (the previous one ends): valid once, for ten minutes. */
    issueCode(author: string): { code: string; expiresAt: number } {
      notPaired();
      code = {
        value: pairingCodeFrom(randomBytes(16)),
        expiresAt: now() + CODE_TTL_MS,
        failures: 0,
      };
      challenges.clear();
      event('info', `${author} showed a pairing code (valid 10 minutes)`);
      return { code: formatPairingCode(code.value), expiresAt: code.expiresAt };
    },

    /** The joiner's first answer: who it is and a challenge for this one attempt. */
    hello(): PairHello {
      notPaired();
      activeCode();
      for (const [c, until] of challenges) if (until <= now()) challenges.delete(c);
      if (challenges.size >= MAX_CHALLENGES)
        throw new TandemError(
          'too_many_requests',
          'too many pairing attempts at once: wait a minute',
        );
      const challenge = nonce();
      challenges.set(challenge, now() + CHALLENGE_TTL_MS);
      return { unit: d.unitName, challenge };
    },

    /** The joiner checks the inviter's proof, pins it and proves itself in turn. */
    async join(
      j: PairJoin,
      clientFingerprint: string | null,
      source: string,
    ): Promise<PairWelcome> {
      const from = plainAddress(source);
      notPaired();
      distinct(j.unit);
      const current = activeCode();
      const until = challenges.get(j.challenge);
      // Single use: a replayed join finds its challenge gone.
      challenges.delete(j.challenge);
      if (until === undefined || until <= now())
        return refuse('unknown, expired or used challenge (a replayed exchange?)', from);
      if (clientFingerprint === null || certificateFingerprint(j.cert) !== clientFingerprint)
        return refuse('the certificate in the request is not the one TLS showed', from);
      const key = await d.deriveKey(current.value, j.challenge);
      const fingerprints = { sender: clientFingerprint, receiver: d.identity.fingerprint };
      if (!proofMatches(pairingProof(key, 'join', fingerprints, j.challenge, j.nonce), j.mac)) {
        current.failures++;
        if (current.failures >= MAX_FAILURES) {
          code = null;
          event('warning', `pairing code burnt after ${MAX_FAILURES} wrong tries: show a new one`);
        }
        return refuse('wrong pairing code', from);
      }
      code = null;
      challenges.clear();
      const record: PairingRecord = {
        unit: j.unit,
        address: from,
        port: j.port,
        fingerprint: clientFingerprint,
        cert: j.cert,
        pairedAt: now(),
        awaitingLog: true,
        role: 'joiner',
      };
      d.store.setPairing(record);
      event('info', `paired with ${j.unit} (${from}); taking its configuration`);
      d.paired(record);
      changed();
      return {
        unit: d.unitName,
        cert: d.identity.cert,
        mac: pairingProof(
          key,
          'welcome',
          { sender: d.identity.fingerprint, receiver: clientFingerprint },
          j.challenge,
          j.nonce,
        ),
      };
    },

    /** The inviter's side: reach the joiner, prove the code, check its proof, pin it. */
    async pair(r: PairRequest, author: string): Promise<PairingRecord> {
      notPaired();
      const where = `${r.address}:${r.port}`;
      const fail = (code: 'forbidden' | 'peer_untrusted', message: string): never => {
        event('warning', `pairing with ${where} failed: ${message}`);
        throw new TandemError(code, message);
      };
      const ask = async (to: PeerEndpoint, path: string, body: unknown): Promise<PeerAnswer> => {
        const a = await d.client.request(to, 'POST', path, body);
        if (a.status !== 200) {
          const e = (a.body as { error?: { code?: string; message?: string } } | null)?.error;
          const message = `the unit at ${where} refused: ${e?.message ?? `status ${a.status}`}`;
          if (a.status === 429) throw new TandemError('too_many_requests', message);
          return fail('forbidden', message);
        }
        return a;
      };
      const first = await ask(
        { address: r.address, port: r.port, pin: null },
        '/peer/v1/pair/hello',
        {},
      );
      const hello = parseWith(PairHello, first.body);
      if (!hello.ok) return fail('peer_untrusted', 'the answer to hello is not a pairing answer');
      distinct(hello.value.unit);
      // From here on the same certificate must answer: pinned to what the first handshake showed.
      const seen = first.fingerprint;
      const mine = nonce();
      const key = await d.deriveKey(r.code, hello.value.challenge);
      const second = await ask(
        { address: r.address, port: r.port, pin: seen },
        '/peer/v1/pair/join',
        {
          unit: d.unitName,
          port: d.peerPort,
          challenge: hello.value.challenge,
          nonce: mine,
          mac: pairingProof(
            key,
            'join',
            { sender: d.identity.fingerprint, receiver: seen },
            hello.value.challenge,
            mine,
          ),
          cert: d.identity.cert,
        },
      );
      const welcome = parseWith(PairWelcome, second.body);
      if (!welcome.ok) return fail('peer_untrusted', 'the answer to join is not a pairing answer');
      if (certificateFingerprint(welcome.value.cert) !== seen)
        return fail('peer_untrusted', 'the certificate it sent is not the one TLS showed');
      const expected = pairingProof(
        key,
        'welcome',
        { sender: seen, receiver: d.identity.fingerprint },
        hello.value.challenge,
        mine,
      );
      if (!proofMatches(expected, welcome.value.mac))
        return fail('peer_untrusted', 'its answer does not prove the code: someone in between?');
      const record: PairingRecord = {
        unit: welcome.value.unit,
        address: r.address,
        port: r.port,
        fingerprint: seen,
        cert: welcome.value.cert,
        pairedAt: now(),
        awaitingLog: false,
        role: 'inviter',
      };
      d.store.setPairing(record);
      event(
        'info',
        `${author} paired this unit with ${record.unit} (${where}); it takes this unit's configuration`,
      );
      d.log(`paired with ${record.unit} at ${where}, fingerprint ${seen}`);
      d.paired(record);
      changed();
      return record;
    },

    /**
     * Dissolves the pair: on this unit at once, and on the peer when it answers (a peer that is
     * gone is unpaired here anyway, and says so). Each unit keeps its configuration and history.
     */
    async unpair(author: string): Promise<{ peerTold: boolean }> {
      const p = d.store.pairing();
      if (!p) throw new TandemError('conflict', 'this unit is not paired');
      const peerTold = await d.client
        .request(
          { address: p.address, port: p.port, pin: p.fingerprint },
          'POST',
          '/peer/v1/unpair',
          {},
        )
        .then(
          (a) => a.status === 200,
          () => false,
        );
      d.store.setPairing(null);
      changed();
      event(
        'info',
        `${author} unpaired this unit from ${p.unit}${peerTold ? '' : ` (${p.unit} did not answer: unpair it there too)`}`,
      );
      return { peerTold };
    },

    /** The peer dissolved the pair (POST /peer/v1/unpair, from the pinned peer only). */
    dissolvedByPeer(): void {
      const p = d.store.pairing();
      if (!p) return;
      d.store.setPairing(null);
      changed();
      event('info', `${p.unit} dissolved the pair; this unit keeps its configuration`);
    },

    /** Hears of each pairing made or dissolved (the unit re-renders its peers section). */
    onChange(l: () => void): () => void {
      listeners.add(l);
      return () => listeners.delete(l);
    },

    /** The code's state for the console: shown and until when (never the code itself again). */
    codeExpiresAt: (): number | null => (code && code.expiresAt > now() ? code.expiresAt : null),
  };
}
export type Pairing = ReturnType<typeof createPairing>;
