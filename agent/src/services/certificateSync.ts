import {
  CertificateWithFile,
  newerRecords,
  parseWith,
  SharedCertificates,
  supersedes,
  TandemError,
  type AcmeShared,
  type CertificateGift,
  type CertificateRecord,
} from '@tandem/core';
import type { Acme } from './acme.js';
import type { CertificateStore } from './certificateStore.js';
import { sha256Hex } from './certificateRecords.js';
import type { PeerCall } from './peerCall.js';

/** The certificates and ACME settings a pair shares (the store's and ACME's side of it). */
export interface SharedCertificateSet {
  digest(): string;
  shared(): SharedCertificates;
  withFile(name: string): Promise<CertificateWithFile>;
  /** The peer's newer records (and ACME settings) taken; answers how many. */
  take(gift: CertificateGift, peer: string): Promise<number>;
}

export function sharedCertificateSet(
  store: Pick<CertificateStore, 'records' | 'withFile' | 'take'>,
  acme: Pick<Acme, 'shared' | 'takeShared'>,
): SharedCertificateSet {
  const shared = (): SharedCertificates => ({ records: store.records(), acme: acme.shared() });
  return {
    // Records carry the file's hash and the change's stamp, ACME its stamp: equal when in step.
    digest: () => {
      const s = shared();
      return sha256Hex(
        JSON.stringify({ records: s.records, acme: s.acme && [s.acme.at, s.acme.unit] }),
      );
    },
    shared,
    withFile: (name) => store.withFile(name),
    async take(gift, peer) {
      let taken = 0;
      for (const r of gift.records) if (await store.take(r, peer)) taken++;
      if (gift.acme && (await acme.takeShared(gift.acme))) taken++;
      return taken;
    },
  };
}

const newerAcme = (a: AcmeShared | null, b: AcmeShared | null) =>
  a !== null && supersedes(a, b) ? a : null;

/**
 * Certificates and ACME settings, when the two units' digests differ (ADR 0021): this unit asks
 * for the peer's records, fetches the files of those newer than its own and takes them, then
 * gives the peer the files it lacks. Runs before generations ship in a round, so a generation
 * naming a certificate never reaches the peer before the certificate. Answers how many changes
 * this unit took.
 */
export async function syncCertificates(
  call: PeerCall,
  set: SharedCertificateSet,
  peer: { unit: string; digest: string },
): Promise<number> {
  if (set.digest() === peer.digest) return 0;
  const theirs = parseWith(SharedCertificates, await call('GET', '/peer/v1/certificates'));
  if (!theirs.ok)
    throw new TandemError('peer_unavailable', `${peer.unit} sent certificates that are not ones`);
  const mine = set.shared();
  const fetched: CertificateWithFile[] = [];
  for (const r of newerRecords(theirs.value.records, mine.records)) {
    if (r.sha256 === null) {
      fetched.push({ ...r, pem: null });
      continue;
    }
    const f = parseWith(
      CertificateWithFile,
      await call('GET', `/peer/v1/certificates/${encodeURIComponent(r.name)}`),
    );
    if (!f.ok)
      throw new TandemError('peer_unavailable', `${peer.unit} sent ${r.name} that is not one`);
    fetched.push(f.value);
  }
  const taken = await set.take(
    { records: fetched, acme: newerAcme(theirs.value.acme, mine.acme) },
    peer.unit,
  );
  const after = set.shared();
  const give: CertificateRecord[] = newerRecords(after.records, theirs.value.records);
  const acme = newerAcme(after.acme, theirs.value.acme);
  if (give.length > 0 || acme) {
    const records = await Promise.all(give.map((r) => set.withFile(r.name)));
    // At most 100 a request: a large store goes over several rounds.
    await call('POST', '/peer/v1/certificates', { records: records.slice(0, 100), acme });
  }
  return taken;
}
