import { z } from 'zod';

/**
 * The one-time pairing code a unit shows and a person types on the other unit: Crockford's
 * base32 (no I, L, O, U: nothing that reads as another symbol), 10 symbols = 50 bits, shown as
 * two groups of five. Typing is forgiving: case, spaces and dashes do not matter, and the
 * look-alikes O, I and L read as 0, 1 and 1.
 */
export const PAIRING_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const PAIRING_CODE_LENGTH = 10;

/** A code from random bytes (one symbol per byte: 256 is a multiple of 32, so no bias). */
export function pairingCodeFrom(bytes: Uint8Array): string {
  if (bytes.length < PAIRING_CODE_LENGTH) throw new Error('not enough random bytes');
  return Array.from(bytes.slice(0, PAIRING_CODE_LENGTH), (b) => PAIRING_CODE_ALPHABET[b & 31]).join(
    '',
  );
}

/** As shown to a person: `7K3QD-9XW2M`. */
export function formatPairingCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** The code as typed, in its canonical form, or null when it cannot be one. */
export function normalizePairingCode(input: string): string | null {
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== PAIRING_CODE_LENGTH) return null;
  return [...s].every((c) => PAIRING_CODE_ALPHABET.includes(c)) ? s : null;
}

export const PairingCode = z.string().transform((s, ctx) => {
  const code = normalizePairingCode(s);
  if (code === null) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be the 10-symbol code the other unit shows, like 7K3QD-9XW2M',
    });
    return z.NEVER;
  }
  return code;
});
