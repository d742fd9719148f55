import { z } from 'zod';
import { Name } from '../grammar/names.js';
import { EmailAddress, HostName } from '../grammar/network.js';

/**
 * ACME (RFC 8555; issue 18): where certificates come from (the CA's directory URL: production,
 * staging or a private CA), who the CA may write to, and the CA's terms agreed.
 */
export const AcmeSettings = z
  .object({
    directoryUrl: z
      .string()
      .max(500)
      .regex(/^https:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?(?:\/[\x21-\x7e]*)?$/, {
        error: 'must be the https:// URL of an ACME directory',
      }),
    email: EmailAddress.optional(),
    agreeTerms: z.literal(true, { error: "must be true: the CA's terms have to be agreed" }),
  })
  .strict();
export type AcmeSettings = z.output<typeof AcmeSettings>;

/** POST /v1/acme/certificates: a certificate to issue now and renew from then on. */
export const AcmeCertificateRequest = z
  .object({
    name: Name,
    domains: z
      .array(HostName)
      .min(1, { error: 'must name at least one domain' })
      .max(100, { error: 'at most 100 names' }),
  })
  .strict();
export type AcmeCertificateRequest = z.output<typeof AcmeCertificateRequest>;

/** A certificate the agent keeps renewed, and how its last attempt went. */
export interface AcmeManaged {
  name: string;
  domains: string[];
  /** Epoch ms of the last attempt, its error (null: it worked), and when the next is due. */
  lastAttempt: number | null;
  lastError: string | null;
  nextAttempt: number | null;
  /** Set when the peer issues and renews it (it holds the VIP), saying why; absent: this unit. */
  elsewhere?: string;
}

export interface AcmeStatus {
  settings: AcmeSettings | null;
  certificates: AcmeManaged[];
}

/** Renewed this many days before its end (Let's Encrypt's 90-day certificates: at 60 days). */
export const ACME_RENEW_DAYS = 30;
