import { z } from 'zod';
import { Name } from '../grammar/names.js';

/**
 * Two-factor sign-in (TOTP, RFC 6238; issue 17): what a user's second factor is, the codes
 * people type, and the sign-in policy. The agent checks codes; these are the shapes only.
 */

/** The shared secret as authenticator apps take it: 20 random bytes in base32 (RFC 4648). */
export const TotpSecret = z.string().regex(/^[A-Z2-7]{32}$/, { error: 'must be a base32 secret' });

/** How many recovery codes an enrolment gives (each works once). */
export const RECOVERY_CODES = 10;
/** A recovery code as shown: two groups of five base32 letters, lower case ("k3m7q-x2pd4"). */
export const RECOVERY_CODE_RE = /^[a-z2-7]{5}-[a-z2-7]{5}$/;
const TOTP_CODE_RE = /^\d{6}$/;

/**
 * A user's second factor as the pair shares it (inside the user's record): the secret, the
 * SHA-256 of each recovery code not yet used, and when it was set up.
 */
export const SecondFactor = z
  .object({
    secret: TotpSecret,
    recovery: z
      .array(z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be a SHA-256 in hex' }))
      .max(RECOVERY_CODES),
    enrolledAt: z.number().int().min(0),
  })
  .strict();
export type SecondFactor = z.output<typeof SecondFactor>;

/**
 * What a person types as the second factor: the app's six digits or a recovery code. Spaces
 * are dropped and letters lowered first, so "123 456" and "K3M7Q-X2PD4" are taken as meant.
 */
export const SecondFactorCode = z
  .string()
  .max(32, { error: 'must be a 6-digit code or a recovery code' })
  .transform((s) => s.replace(/\s+/g, '').toLowerCase())
  .refine((s) => TOTP_CODE_RE.test(s) || RECOVERY_CODE_RE.test(s), {
    error: 'must be the 6-digit code from your authenticator app or a recovery code (xxxxx-xxxxx)',
  });

/** Whether a typed code (already normalised by SecondFactorCode) is a recovery code. */
export const isRecoveryCode = (code: string) => RECOVERY_CODE_RE.test(code);

/** The app's six digits only: what confirms an enrolment (a recovery code cannot). */
export const TotpCode = z
  .string()
  .max(16)
  .transform((s) => s.replace(/\s+/g, ''))
  .refine((s) => TOTP_CODE_RE.test(s), {
    error: 'must be the 6 digits your authenticator app shows',
  });

const CurrentPassword = z.string().min(1).max(256);
/** POST /v1/auth/two-factor/start: the password again, then a new secret to scan. */
export const TwoFactorStart = z.object({ password: CurrentPassword }).strict();
/** POST /v1/auth/two-factor/confirm: the first code the app shows proves it holds the secret. */
export const TwoFactorConfirm = z.object({ code: TotpCode }).strict();
/** Turning it off or renewing the recovery codes: the password and a code again. */
export const TwoFactorProof = z
  .object({ password: CurrentPassword, code: SecondFactorCode })
  .strict();

/** An enrolment begun: the secret to type in, the otpauth URI and its QR code (SVG). */
export interface TwoFactorEnrolment {
  secret: string;
  uri: string;
  qrSvg: string;
}

/** The console's sign-in policy (admins only change it; the pair shares it with the users). */
export const SignInPolicy = z
  .object({
    /** An admin without a second factor has a read-only user's access until they set one up. */
    requireTwoFactorForAdmins: z.boolean(),
  })
  .strict();
export type SignInPolicy = z.output<typeof SignInPolicy>;

/** The policy as the pair shares it: stamped like a user record, the later change wins. */
export const SignInPolicyRecord = SignInPolicy.extend({
  updatedAt: z.number().int().min(0),
  updatedOn: Name.or(z.literal('')),
}).strict();
export type SignInPolicyRecord = z.output<typeof SignInPolicyRecord>;

export const DEFAULT_SIGN_IN_POLICY: SignInPolicyRecord = {
  requireTwoFactorForAdmins: false,
  updatedAt: 0,
  updatedOn: '',
};
