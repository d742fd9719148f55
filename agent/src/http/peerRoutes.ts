import {
  Author,
  CertificateGift,
  Name,
  SharedSettings,
  PairJoin,
  SyncPullQuery,
  SyncPush,
  TandemError,
  UserRecords,
} from '@tandem/core';
import { z } from 'zod';
import type { Pairing } from '../services/pairing.js';
import type { Replication } from '../services/replication.js';
import type { NodeSettings } from '../services/nodeSettings.js';
import { sharedUsersOf, takeShared, type SharedUsers } from '../services/userSync.js';
import type { SharedCertificateSet } from '../services/certificateSync.js';
import type { SharedSettingsSet } from '../services/settingsSync.js';
import { parse } from './routeParsing.js';
import type { Route, RouterGuard } from './router.js';

const PeerNodeRequest = z.object({ node: z.unknown(), author: Author }).strict();
const Hash = z.string().regex(/^[0-9a-f]{64}$/);
const ApplyAsk = z.object({ hash: Hash }).strict();
const Resolved = z
  .object({
    keep: Name,
    ancestor: z.number().int().min(0),
    ancestorHash: Hash.nullable(),
    author: Author,
  })
  .strict();

/**
 * The peer listener's routes (ADR 0015): pairing is open (the code is the check), everything
 * else answers only the pinned peer (the guard below).
 */
export function createPeerRoutes(d: {
  pairing: Pairing;
  replication: Replication;
  nodeSettings: NodeSettings | null;
  /** The console users the pair shares (null: no console on this unit's side, as in tests). */
  users: SharedUsers | null;
  /** The certificates and ACME settings the pair shares (null: none kept, as in tests). */
  certificates: SharedCertificateSet | null;
  /** The settings the pair shares (null: none kept, as in tests). */
  settings: SharedSettingsSet | null;
}): Route[] {
  const certificates = () => {
    if (!d.certificates) throw new TandemError('not_found', 'this unit keeps no certificates');
    return d.certificates;
  };
  const settings = () => {
    if (!d.nodeSettings) throw new TandemError('conflict', 'this unit runs no keepalived');
    return d.nodeSettings;
  };
  return [
    {
      method: 'GET',
      path: '/peer/v1/node',
      summary: "This unit's own cluster settings, its interfaces and a proposal",
      handler: () => settings().read(),
    },
    {
      method: 'POST',
      path: '/peer/v1/node',
      summary: "Set this unit's own cluster settings (the peer's operator chose them)",
      handler: ({ body, author }) => {
        const r = parse(PeerNodeRequest, body);
        return settings().set(r.node, `${r.author} (on ${author.replace(/^peer:/, '')})`);
      },
    },
    {
      method: 'POST',
      path: '/peer/v1/pair/hello',
      summary: 'Pairing, step 1: who this unit is and a single-use challenge (needs a shown code)',
      handler: () => d.pairing.hello(),
    },
    {
      method: 'POST',
      path: '/peer/v1/pair/join',
      summary: "Pairing, step 2: the inviter's certificate and proof of the code; answers ours",
      handler: ({ body, peer, source }) => d.pairing.join(parse(PairJoin, body), peer, source),
    },
    {
      method: 'GET',
      path: '/peer/v1/head',
      summary: "This unit's log head and running generation",
      handler: () => d.replication.head(),
    },
    {
      method: 'GET',
      path: '/peer/v1/generations',
      summary: 'Generations after a number, oldest first (the peer fetches what it lacks)',
      handler: ({ query }) => {
        const q = parse(SyncPullQuery, Object.fromEntries(query));
        return d.replication.entriesAfter(q.after, q.limit);
      },
    },
    {
      method: 'POST',
      path: '/peer/v1/generations',
      summary: 'Generations this unit lacks, on top of its latest (or the whole log, on joining)',
      handler: ({ body }) => d.replication.receive(parse(SyncPush, body)),
    },
    {
      method: 'POST',
      path: '/peer/v1/apply',
      summary: 'Run the latest generation, which the peer runs (its hash given)',
      handler: ({ body }) => d.replication.applyLatest(parse(ApplyAsk, body).hash),
    },
    {
      method: 'GET',
      path: '/peer/v1/users',
      summary: "This unit's console users as the pair shares them (records, removals included)",
      handler: () => (d.users ? sharedUsersOf(d.users) : { records: [] }),
    },
    {
      method: 'POST',
      path: '/peer/v1/users',
      summary: "The peer's users: this unit takes the newer records",
      handler: ({ body, author }) => ({
        taken: d.users
          ? takeShared(d.users, parse(UserRecords, body), author.replace(/^peer:/, ''))
          : 0,
      }),
    },
    {
      method: 'GET',
      path: '/peer/v1/certificates',
      summary: "This unit's certificate records (removals included) and ACME settings, no files",
      handler: () => certificates().shared(),
    },
    {
      method: 'GET',
      path: '/peer/v1/certificates/:name',
      summary: 'One stored certificate with its file (key included): only the pinned peer',
      handler: ({ params }) => certificates().withFile(params.name ?? ''),
    },
    {
      method: 'POST',
      path: '/peer/v1/certificates',
      summary: "The peer's newer certificates and ACME settings: this unit takes them",
      handler: async ({ body, author }) => ({
        taken: await certificates().take(
          parse(CertificateGift, body),
          author.replace(/^peer:/, ''),
        ),
      }),
    },
    {
      method: 'GET',
      path: '/peer/v1/settings',
      summary: 'The settings the pair shares (notifications, SMTP password included)',
      handler: () => d.settings?.shared() ?? { notifications: null },
    },
    {
      method: 'POST',
      path: '/peer/v1/settings',
      summary: "The peer's newer shared settings: this unit takes them",
      handler: async ({ body }) => ({
        taken: d.settings ? await d.settings.take(parse(SharedSettings, body)) : 0,
      }),
    },
    {
      method: 'GET',
      path: '/peer/v1/hashes',
      summary: "Every generation's number and hash (where two logs part)",
      handler: () => d.replication.hashes(),
    },
    {
      method: 'POST',
      path: '/peer/v1/resolve',
      summary: "The peer's operator kept the peer's branch: archive this unit's since the ancestor",
      handler: ({ body }) => d.replication.peerResolved(parse(Resolved, body)),
    },
    {
      method: 'POST',
      path: '/peer/v1/unpair',
      summary: 'The peer dissolves the pair',
      handler: () => {
        d.pairing.dissolvedByPeer();
        return { ok: true };
      },
    },
  ];
}

/** Pairing is open; every other peer route needs the client certificate pinned at pairing. */
export function peerGuard(pinned: () => { unit: string; fingerprint: string } | null): RouterGuard {
  return {
    check(_method, path, _session, peer) {
      if (path.startsWith('/peer/v1/pair/')) return null;
      const p = pinned();
      if (!p) throw new TandemError('forbidden', 'this unit is not paired');
      if (peer === null)
        throw new TandemError('unauthorized', 'a peer request needs its certificate');
      if (peer !== p.fingerprint)
        throw new TandemError('forbidden', 'this certificate is not the paired unit’s');
      return { user: `peer:${p.unit}` };
    },
    changed: () => undefined,
  };
}
