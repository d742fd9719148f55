import type { PeerHead } from '@tandem/core';
import { syncCertificates, type SharedCertificateSet } from './certificateSync.js';
import type { PeerCall } from './peerCall.js';
import { syncSettings, type SharedSettingsSet } from './settingsSync.js';
import { syncUsers, type SharedUsers } from './userSync.js';

/**
 * What a pair shares beside the log of generations (ADR 0015, 0021): console users,
 * certificates with ACME's settings, and settings such as notifications, each compared by its
 * digest in the peer's head and exchanged only when they differ. Called before generations ship,
 * so a generation naming a certificate never reaches the peer before the certificate. Nothing is
 * exchanged while either unit waits for the cluster's log (a unit joining a pair).
 */
export async function syncBesideTheLog(o: {
  call: PeerCall;
  peer: string;
  theirs: PeerHead;
  awaitingLog: boolean;
  users?: SharedUsers | undefined;
  certificates?: SharedCertificateSet | undefined;
  settings?: SharedSettingsSet | undefined;
  log: (m: string) => void;
}): Promise<void> {
  if (o.awaitingLog || o.theirs.awaitingLog) return;
  const { call, peer: unit, theirs, users, certificates, settings } = o;
  const sides: [string, string | null, ((digest: string) => Promise<number>) | null][] = [
    [
      'user',
      theirs.usersDigest,
      users ? (g) => syncUsers(call, users, { unit, usersDigest: g }) : null,
    ],
    [
      'certificate',
      theirs.certificatesDigest,
      certificates ? (g) => syncCertificates(call, certificates, { unit, digest: g }) : null,
    ],
    [
      'settings',
      theirs.settingsDigest,
      settings ? (g) => syncSettings(call, settings, { unit, digest: g }) : null,
    ],
  ];
  // A peer from before a kind was shared has no digest for it: nothing to compare.
  for (const [what, digest, sync] of sides) {
    if (!sync || digest === null) continue;
    const taken = await sync(digest);
    if (taken > 0) o.log(`sync: took ${taken} ${what} change(s) from ${unit}`);
  }
}
