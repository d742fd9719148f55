import { createHash, randomBytes } from 'node:crypto';
import {
  isRecoveryCode,
  RECOVERY_CODES,
  type SecondFactor,
  type TwoFactorEnrolment,
} from '@tandem/core';
import { Secret, TOTP } from 'otpauth';
import { renderSVG } from 'uqr';

/** RFC 6238's defaults, which every authenticator app reads: SHA-1, 6 digits, 30 s. */
const PERIOD_S = 30;
const totpOf = (secret: string, label = '', issuer = 'Tandem') =>
  new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_S,
    secret: Secret.fromBase32(secret),
  });
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A new shared secret: 20 random bytes (RFC 4226's recommended length), base32. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

/** What the enrolling user scans or types: the otpauth URI, as a QR code too (SVG). */
export function enrolment(secret: string, user: string, unit: string): TwoFactorEnrolment {
  // The issuer names the unit, so two units' entries in one app are told apart.
  const uri = totpOf(secret, user, unit ? `Tandem ${unit}` : 'Tandem').toString();
  return { secret, uri, qrSvg: renderSVG(uri, { border: 2 }) };
}

/**
 * The time step a six-digit code is right for, one step either side of `now` allowed (a phone's
 * clock a little off, a code typed as it turned), or null. Only steps after `lastStep` count: a
 * code that signed in once is not taken again.
 */
export function totpStep(secret: string, code: string, now: number, lastStep: number) {
  const delta = totpOf(secret).validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return null;
  const step = Math.floor(now / 1000 / PERIOD_S) + delta;
  return step > lastStep ? step : null;
}

/** The code an authenticator app shows at `now` (the lab and the tests sign in with it). */
export const totpCode = (secret: string, now: number) =>
  totpOf(secret).generate({ timestamp: now });

/** New recovery codes (shown once) and what is kept of them (their SHA-256). */
export function newRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: RECOVERY_CODES }, () => {
    // 32 letters divide 256: each byte picks one without bias; 50 bits a code.
    const letters = [...randomBytes(10)].map((b) => BASE32[b % 32]).join('');
    return `${letters.slice(0, 5)}-${letters.slice(5)}`;
  });
  return { codes, hashes: codes.map(sha256) };
}

export type FactorVerdict =
  | { ok: true; kind: 'totp'; step: number }
  | { ok: true; kind: 'recovery'; rest: SecondFactor }
  | { ok: false };

/**
 * A typed code (normalised by core's SecondFactorCode) against a user's second factor: the
 * app's code for a step not used yet, or a recovery code not used yet (the factor without it).
 */
export function checkSecondFactor(
  f: SecondFactor,
  code: string,
  now: number,
  lastStep: number,
): FactorVerdict {
  if (isRecoveryCode(code)) {
    const h = sha256(code);
    if (!f.recovery.includes(h)) return { ok: false };
    return {
      ok: true,
      kind: 'recovery',
      rest: { ...f, recovery: f.recovery.filter((x) => x !== h) },
    };
  }
  const step = totpStep(f.secret, code, now, lastStep);
  return step === null ? { ok: false } : { ok: true, kind: 'totp', step };
}
