import { z } from 'zod';
import { PairingCode } from '../cluster/pairingCode.js';
import { Name } from '../grammar/names.js';
import { ClusterNode } from '../model/cluster.js';
import { IpAddress } from '../grammar/network.js';
import { IntRange, SafeText } from '../grammar/text.js';
import { Author, GENERATION_ORIGINS, PendingConfirm } from './contract.js';
import { DiscoveryPair, DiscoveryReadiness } from './discoveryPair.js';

/**
 * The contract between two units (ADR 0015): pairing messages, and the replicated log of
 * generations. The peer is an untrusted client: every field has a grammar, and a generation's
 * config travels as the exact text its hash covers, re-validated by the receiver like API input.
 */
const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be 64 lowercase hex digits' });
/** 32 random bytes, base64url without padding. */
const Nonce = z.string().regex(/^[A-Za-z0-9_-]{43}$/, { error: 'must be 32 bytes in base64url' });
const CertificatePem = z
  .string()
  .max(8192)
  .regex(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n?$/, {
    error: 'must be one PEM certificate',
  });
/** The peer port (TLS, pinned certificates) both units listen on. */
export const PEER_PORT = 7443;
const Port = IntRange(1, 65535);

/** Operator → unit A: pair with the unit at `address` that shows `code`. */
export const PairRequest = z
  .object({ address: IpAddress, port: Port.default(PEER_PORT), code: PairingCode })
  .strict();
export type PairRequest = z.output<typeof PairRequest>;

/** Operator: after a partition, keep this unit's branch (by unit name); the other is archived. */
export const ResolveRequest = z.object({ keep: Name }).strict();

/** Unit B → operator: the code to type on unit A, valid once until `expiresAt`. */
export const PairingCodeAnswer = z.object({ code: z.string(), expiresAt: z.number() });

/** B → A, first step: who B says it is and the challenge A's proof must cover. */
export const PairHello = z.object({ unit: Name, challenge: Nonce }).strict();
export type PairHello = z.output<typeof PairHello>;

/** A → B: A's certificate (also its TLS client certificate) with proof that A knows the code. */
export const PairJoin = z
  .object({
    unit: Name,
    port: Port,
    challenge: Nonce,
    nonce: Nonce,
    mac: Hex64,
    cert: CertificatePem,
  })
  .strict();
export type PairJoin = z.output<typeof PairJoin>;

/** B → A: B's certificate with B's proof; A checks it against the certificate TLS showed. */
export const PairWelcome = z.object({ unit: Name, cert: CertificatePem, mac: Hex64 }).strict();
export type PairWelcome = z.output<typeof PairWelcome>;

/** One generation as it travels: the whole shared document, chained to its parent by hash. */
export const SyncEntry = z
  .object({
    number: z.number().int().min(1),
    hash: Hex64,
    parentHash: Hex64.nullable(),
    author: Author,
    message: SafeText(500),
    origin: z.enum(GENERATION_ORIGINS),
    createdAt: z.iso.datetime(),
    /** The unit the change was made on (null: before the pair existed). */
    unit: Name.nullable(),
    /** ApplianceConfig as JSON text: exactly what `hash` covers. */
    config: z.string().max(8 * 1024 * 1024),
  })
  .strict();
export type SyncEntry = z.output<typeof SyncEntry>;

/**
 * Generations for the peer, oldest first, on top of its latest. `replace`: the peer joined this
 * pair and waits for the cluster's log, which takes the place of its own (kept in its archive).
 */
export const SyncPush = z
  .object({ entries: z.array(SyncEntry).min(1).max(200), replace: z.boolean().default(false) })
  .strict();
export type SyncPush = z.output<typeof SyncPush>;

export const SyncPullQuery = z
  .object({
    after: z.coerce.number().int().min(0),
    limit: z.coerce.number().int().min(1).max(200).default(100),
  })
  .strict();

/**
 * What a unit says of its own readiness to serve (the Cluster page's "ready to take over"):
 * server health as its HAProxy sees it, its VRRP state per instance, its identity's expiry.
 */
export const UnitReadiness = z.object({
  servers: z.object({
    up: z.number().int().min(0),
    down: z.number().int().min(0),
    other: z.number().int().min(0),
  }),
  vrrp: z.array(z.object({ name: z.string().max(64), state: z.string().max(16) })).max(16),
  identityNotAfter: z.string().max(40),
  /** The unit's stored certificates (ADR 0021); a unit from before says none. */
  certificates: z
    .array(z.object({ name: Name, fingerprint: z.string().max(100), notAfter: z.string().max(40) }))
    .max(2000)
    .default([]),
  /** The members of its backends that follow DNS, as its own HAProxy holds them (issue 19). */
  discovery: DiscoveryReadiness.default([]),
});
export type UnitReadiness = z.output<typeof UnitReadiness>;

const CertificateSide = z.object({ fingerprint: z.string(), notAfter: z.string() });
/** One certificate's name with what each unit of a pair has under it. */
export const CertificatePair = z.object({
  name: z.string(),
  here: CertificateSide.nullable(),
  peer: CertificateSide.nullable(),
  same: z.boolean(),
});
export type CertificatePair = z.output<typeof CertificatePair>;

/** Both units' certificates side by side, by name. */
export function pairCertificates(
  here: UnitReadiness['certificates'],
  peer: UnitReadiness['certificates'],
): CertificatePair[] {
  const side = (c: UnitReadiness['certificates'][number] | undefined) =>
    c ? { fingerprint: c.fingerprint, notAfter: c.notAfter } : null;
  const names = [...new Set([...here, ...peer].map((c) => c.name))].sort();
  return names.map((name) => {
    const h = side(here.find((c) => c.name === name));
    const p = side(peer.find((c) => c.name === name));
    return { name, here: h, peer: p, same: h !== null && h.fingerprint === p?.fingerprint };
  });
}

/** Where a unit's log stands, and what it runs. */
export const PeerHead = z.object({
  unit: Name,
  number: z.number().int().min(0),
  hash: Hex64.nullable(),
  running: z.number().int().nullable(),
  /** Joined a pair and waits for the cluster's log. */
  awaitingLog: z.boolean(),
  /** The unit's clock (ms), for the skew shown on the Cluster page. */
  at: z.number(),
  readiness: UnitReadiness.nullable().default(null),
  /** A digest of the unit's console users (names, roles, hashes, removals): equal when in step. */
  usersDigest: z.string().max(64).nullable().default(null),
  /** A digest of the unit's certificate records and ACME settings (ADR 0021): equal when in step. */
  certificatesDigest: z.string().max(64).nullable().default(null),
  /** A digest of the settings the pair shares (notifications): equal when in step. */
  settingsDigest: z.string().max(64).nullable().default(null),
});
export type PeerHead = z.output<typeof PeerHead>;

/** The receiver's answer to a push: its new head and what its apply did. */
export const SyncAnswer = z.object({
  head: PeerHead,
  apply: z.object({
    ok: z.boolean(),
    running: z.number().int().nullable(),
    error: z.string().nullable(),
  }),
});
export type SyncAnswer = z.output<typeof SyncAnswer>;

export const PEER_SYNC_STATES = [
  'in-sync',
  'syncing',
  'unreachable',
  'apply-failed',
  'conflict',
  'untrusted',
] as const;

/** This unit's view of its peer (the Cluster page, `tandemctl cluster status`). */
export const PeerStatus = z.object({
  unit: z.string(),
  address: z.string(),
  port: z.number().int(),
  fingerprint: z.string(),
  pairedAt: z.number(),
  state: z.enum(PEER_SYNC_STATES),
  /** The peer's log head and running generation, as it last said. */
  head: z.object({ number: z.number().int(), hash: z.string().nullable() }).nullable(),
  running: z.number().int().nullable(),
  /** The peer runs the same generation (same hash) as this unit. */
  runsSame: z.boolean(),
  lastContact: z.number().nullable(),
  /** The last change shipped: when, and from acceptance here to running there. */
  lastSync: z
    .object({ at: z.number(), generation: z.number().int(), latencyMs: z.number() })
    .nullable(),
  clockSkewMs: z.number().nullable(),
  /** What the peer says of itself: its servers' health, VRRP states, identity expiry. */
  readiness: UnitReadiness.nullable(),
  /**
   * Per VRRP instance, this unit's and the peer's state and what they say together: one master
   * and one backup means adverts get through; two masters, that they do not.
   */
  vrrp: z.array(
    z.object({
      name: z.string(),
      here: z.string(),
      peer: z.string(),
      verdict: z.enum(['one master', 'two masters', 'no master', 'unknown']),
    }),
  ),
  /**
   * Each certificate on either unit: its fingerprint and end here and on the peer (null: not
   * there), and whether both serve the same one (ADR 0021).
   */
  certificates: z.array(CertificatePair).default([]),
  /** Each backend that follows DNS: the members each unit holds, and whether they agree. */
  discovery: z.array(DiscoveryPair).default([]),
  error: z.string().nullable(),
  conflict: z
    .object({
      here: z.object({ number: z.number().int(), hash: z.string() }),
      peer: z.object({ number: z.number().int(), hash: z.string().nullable() }),
    })
    .nullable(),
});
export type PeerStatus = z.output<typeof PeerStatus>;

/** The unit's identity: its certificate's SHA-256 fingerprint and when the certificate ends. */
export const UnitIdentityStatus = z.object({
  fingerprint: z.string(),
  shortFingerprint: z.string(),
  notAfter: z.string(),
});

/** A unit's own cluster settings with what it has to choose from (GET /v1/cluster/nodes). */
export const NodeSettingsView = z.object({
  unit: z.string(),
  node: ClusterNode.nullable(),
  interfaces: z
    .array(
      z.object({
        name: z.string().max(64),
        internal: z.boolean(),
        addresses: z
          .array(z.object({ address: z.string().max(64), prefixLength: z.number().int() }))
          .max(64),
      }),
    )
    .max(256),
  proposal: ClusterNode.nullable(),
});

/** Both units' settings: this one's, and the peer's as it answered (or why it did not). */
export const ClusterNodes = z.object({
  here: NodeSettingsView.nullable(),
  peer: NodeSettingsView.nullable(),
  peerError: z.string().nullable(),
  /** After a change from the console that moves VRRP: confirm before `until`, or it is undone. */
  confirm: PendingConfirm.optional(),
});
export type ClusterNodes = z.output<typeof ClusterNodes>;

/** PUT /v1/cluster/nodes/:unit: the settings of this unit or of its peer. */
export const NodeSettingsRequest = z.object({ node: z.unknown() }).strict();
