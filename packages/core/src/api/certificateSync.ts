import { z } from 'zod';
import { Name } from '../grammar/names.js';
import { AcmeCertificateRequest, AcmeSettings } from './acme.js';
import { MAX_PEM_CHARS } from './certificates.js';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be 64 lowercase hex digits' });

/**
 * A stored certificate's place in what a pair shares (ADR 0021): when and where it last changed,
 * and the SHA-256 of its file; a removal keeps its record (`sha256: null`) so that it travels
 * like any change instead of coming back from the peer.
 */
export const CertificateRecord = z
  .object({
    name: Name,
    sha256: Sha256.nullable(),
    /** Epoch ms of the change, on the unit that made it. */
    at: z.number().int().min(0),
    unit: Name,
  })
  .strict();
export type CertificateRecord = z.output<typeof CertificateRecord>;

/**
 * What a pair shares of ACME: the CA's settings and the certificates kept renewed (names and
 * domains). Each unit keeps its own account key and how its own attempts went.
 */
export const AcmeShared = z
  .object({
    settings: AcmeSettings.nullable(),
    certificates: z.array(AcmeCertificateRequest).max(200),
    at: z.number().int().min(0),
    unit: Name,
  })
  .strict();
export type AcmeShared = z.output<typeof AcmeShared>;

/** GET /peer/v1/certificates: every record (no keys: a certificate's file is asked for apart). */
export const SharedCertificates = z
  .object({ records: z.array(CertificateRecord).max(2000), acme: AcmeShared.nullable() })
  .strict();
export type SharedCertificates = z.output<typeof SharedCertificates>;

/** GET /peer/v1/certificates/NAME, and each record a unit gives its peer: the file with it. */
export const CertificateWithFile = CertificateRecord.extend({
  pem: z.string().max(MAX_PEM_CHARS).nullable(),
}).strict();
export type CertificateWithFile = z.output<typeof CertificateWithFile>;

/** POST /peer/v1/certificates: what the peer lacks, files included. */
export const CertificateGift = z
  .object({ records: z.array(CertificateWithFile).max(100), acme: AcmeShared.nullable() })
  .strict();
export type CertificateGift = z.output<typeof CertificateGift>;

/**
 * Whether a change stamped `a` supersedes `b`: the later one wins; at the same instant the
 * greater unit name, so both units pick the same one without asking each other.
 */
export const supersedes = (
  a: { at: number; unit: string },
  b: { at: number; unit: string } | null | undefined,
): boolean => !b || a.at > b.at || (a.at === b.at && a.unit > b.unit);

/** Records of `theirs` that supersede this unit's (`mine`), by name. */
export function newerRecords(
  theirs: readonly CertificateRecord[],
  mine: readonly CertificateRecord[],
): CertificateRecord[] {
  const here = new Map(mine.map((r) => [r.name, r]));
  return theirs.filter((r) => supersedes(r, here.get(r.name)));
}
