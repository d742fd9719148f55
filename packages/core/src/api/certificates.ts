import { z } from 'zod';
import { Name } from '../grammar/names.js';

/** The most a certificate upload may carry: a leaf, a long chain and a key fit many times over. */
export const MAX_PEM_CHARS = 200_000;
/** A PKCS#12 file, base64: 150 kB of file. */
export const MAX_PKCS12_CHARS = 200_000;

/**
 * POST /v1/certificates: a certificate for the store, either PEM (the certificate, its chain and
 * the key, in one text or with the key apart) or PKCS#12 (base64, with its password). `replace`
 * says the name is meant to be taken over; without it an existing name is refused.
 */
export const CertificateUpload = z
  .object({
    name: Name,
    pem: z
      .string()
      .max(MAX_PEM_CHARS, { error: `must be at most ${MAX_PEM_CHARS} characters` })
      .optional(),
    key: z
      .string()
      .max(MAX_PEM_CHARS, { error: `must be at most ${MAX_PEM_CHARS} characters` })
      .optional(),
    pkcs12: z
      .string()
      .max(MAX_PKCS12_CHARS, { error: `must be at most ${MAX_PKCS12_CHARS} characters` })
      .regex(/^[A-Za-z0-9+/=\s]*$/, { error: 'must be the file in base64' })
      .optional(),
    password: z.string().max(256).optional(),
    replace: z.boolean().default(false),
  })
  .strict()
  .refine((u) => (u.pem === undefined) !== (u.pkcs12 === undefined), {
    error: 'give the certificate as PEM or as PKCS#12 (one of the two)',
    path: ['pem'],
  })
  .refine((u) => u.pkcs12 === undefined || u.key === undefined, {
    error: 'a PKCS#12 file carries its key: no separate key',
    path: ['key'],
  });
export type CertificateUpload = z.input<typeof CertificateUpload>;

/** A certificate of the store as the console lists it (never the key). */
export const StoredCertificate = z.object({
  name: Name,
  subject: z.string(),
  issuer: z.string(),
  /** The subjectAltName entries, as openssl prints them. */
  names: z.string(),
  /** ISO 8601. */
  notBefore: z.string(),
  notAfter: z.string(),
  /** SHA-256 of the leaf, colon-separated hex. */
  fingerprint: z.string(),
  /** How many certificates follow the leaf (its chain). */
  chain: z.number().int().min(0),
  selfSigned: z.boolean(),
  /** Services whose binds use it, in the desired configuration. */
  usedBy: z.array(z.string()),
});
export type StoredCertificate = z.output<typeof StoredCertificate>;

/** What an upload did: stored; and, for a certificate a running service uses, whether live. */
export interface CertificateStored {
  certificate: StoredCertificate;
  /** `live`: HAProxy serves it now, no reload; `stored`: used by the next apply. */
  applied: 'live' | 'stored';
}

/** Within this many days of its end a certificate is warned about (dashboard, events). */
export const EXPIRY_WARNING_DAYS = 21;
const DAY_MS = 86_400_000;

/** Whole days a certificate has left at `now` (negative once it has expired). */
export const daysLeft = (notAfter: string, now: number): number =>
  Math.floor((Date.parse(notAfter) - now) / DAY_MS);
