import { createHmac, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * The cryptography of pairing (ADR 0015). The code a person types is short, so it is never sent
 * and never used as a key directly: each side stretches it with scrypt, salted with the
 * challenge of this one exchange, and proves knowledge of it with an HMAC over both certificate
 * fingerprints and both nonces. Someone in the middle sees other fingerprints than the ends do,
 * so the proofs fail; to forge one they would have to find the code from a proof, at a cost per
 * guess of a scrypt, within the code's ten minutes and single use.
 */
export type CodeKey = Buffer;

/** scrypt parameters: ~32 MiB and tens of milliseconds per guess on a small board. */
export const PAIRING_KDF = { N: 2 ** 15, r: 8, p: 1 } as const;

export type DeriveKey = (code: string, challenge: string) => Promise<CodeKey>;

export function scryptKey(cost: { N: number; r: number; p: number } = PAIRING_KDF): DeriveKey {
  return (code, challenge) =>
    new Promise((resolve, reject) =>
      scrypt(
        code,
        `tandem-pairing-v1\n${challenge}`,
        32,
        { ...cost, maxmem: 128 * cost.N * cost.r * 2 },
        (e, key) => (e ? reject(e) : resolve(key)),
      ),
    );
}

/** The proof one side sends: `label` says which message it is, so one cannot stand for the other. */
export function pairingProof(
  key: CodeKey,
  label: 'join' | 'welcome',
  fingerprints: { sender: string; receiver: string },
  challenge: string,
  nonce: string,
): string {
  return createHmac('sha256', key)
    .update(
      [
        'tandem-pairing-v1',
        label,
        fingerprints.sender,
        fingerprints.receiver,
        challenge,
        nonce,
      ].join('\n'),
    )
    .digest('hex');
}

export function proofMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'hex');
  const b = Buffer.from(given, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
