import { expect, it } from 'vitest';
import { vrrpVerdict } from './vrrpVerdict.js';

it.each([
  ['MASTER', 'BACKUP', 'one master'],
  ['BACKUP', 'MASTER', 'one master'],
  ['MASTER', 'MASTER', 'two masters'],
  ['BACKUP', 'FAULT', 'no master'],
  ['MASTER', 'UNKNOWN', 'unknown'],
])('%s here and %s on the peer: %s', (here, peer, verdict) => {
  expect(vrrpVerdict(here, peer)).toBe(verdict);
});
