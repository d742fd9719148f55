import { describe, expect, it } from 'vitest';
import {
  formatPairingCode,
  normalizePairingCode,
  PAIRING_CODE_ALPHABET,
  pairingCodeFrom,
  PairingCode,
} from './pairingCode.js';

describe('pairing codes', () => {
  it('maps each random byte to one symbol, every symbol reachable', () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => i + 64);
    expect(pairingCodeFrom(bytes)).toBe('0123456789');
    const seen = new Set(pairingCodeFrom(bytes.slice(10)) + pairingCodeFrom(bytes.slice(20, 32)));
    expect(seen.size).toBeGreaterThan(10);
    expect([...PAIRING_CODE_ALPHABET].sort().join('')).toBe(PAIRING_CODE_ALPHABET);
  });

  it('reads a code however a person types it', () => {
    expect(formatPairingCode('7K3QD9XW2M')).toBe('7K3QD-9XW2M');
    expect(normalizePairingCode(' 7k3qd-9xw2m ')).toBe('7K3QD9XW2M');
    expect(normalizePairingCode('O1LIX-XXXXX')).toBe('0111XXXXXX');
  });

  it.each(['', '7K3QD', '7K3QD-9XW2MM', '7K3QD-9XW2U', '7K3QD-9XW2!'])('refuses %j', (typed) => {
    expect(normalizePairingCode(typed)).toBeNull();
    const r = PairingCode.safeParse(typed);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toContain('10-symbol code');
  });
});
