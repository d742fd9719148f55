import { describe, expect, it } from 'vitest';
import { isLoopback, parseCidr, parseIp } from './ip.js';

describe('parseIp', () => {
  it.each([
    ['198.18.0.1', '198.18.0.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['::1', '::1'],
    ['::', '::'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['fe80::1:0:0:0:1', 'fe80:0:0:1::1'],
    ['::ffff:198.18.0.1', '::ffff:c612:1'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
  ])('accepts %s as %s', (input, canonical) => {
    expect(parseIp(input)?.canonical).toBe(canonical);
  });

  it.each([
    '',
    '198.18.0',
    '198.18.0.256',
    '198.18.0.01',
    '198.18.0.1 ',
    ' 198.18.0.1',
    '198.18.0.1\n',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    '12345::',
    'g::1',
    '1:2:3:4:5:6:7:8::',
    'localhost',
    '198.18.0.1/24',
  ])('rejects %j', (input) => {
    expect(parseIp(input)).toBeNull();
  });

  it('knows loopback', () => {
    expect(isLoopback(parseIp('127.0.0.5')!)).toBe(true);
    expect(isLoopback(parseIp('::1')!)).toBe(true);
    expect(isLoopback(parseIp('198.18.0.1')!)).toBe(false);
    expect(isLoopback(parseIp('::2')!)).toBe(false);
  });
});

describe('parseCidr', () => {
  it.each([
    ['198.18.0.0/15', '198.18.0.0/15'],
    ['198.18.0.7', '198.18.0.7/32'],
    ['2001:db8::/32', '2001:db8::/32'],
    ['::1', '::1/128'],
  ])('accepts %s', (input, canonical) => {
    expect(parseCidr(input)?.canonical).toBe(canonical);
  });
  it.each(['198.18.0.0/33', '198.18.0.0/', '198.18.0.0/08', '::/129', 'x/8', '198.18.0.0/8/8'])(
    'rejects %j',
    (input) => {
      expect(parseCidr(input)).toBeNull();
    },
  );
});
