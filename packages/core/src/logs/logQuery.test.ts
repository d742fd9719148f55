import { describe, expect, it } from 'vitest';
import { clientPrefix, LogQuery } from './logQuery.js';

describe('log queries', () => {
  it.each([
    ['198.18.0.0/16', '198.18.'],
    ['198.18.5.0/24', '198.18.5.'],
    ['198.18.5.7', '198.18.5.7'],
    ['::1', '::1'],
  ])('turns %s into the prefix %s', (net, prefix) => {
    expect(clientPrefix(net)).toBe(prefix);
  });

  it.each(['198.18.0.0/15', '0.0.0.0/0', '2001:db8::/32', 'nope'])('refuses %s', (net) => {
    expect(() => clientPrefix(net)).toThrow(/network|address/);
  });

  it('reads query strings with defaults and refuses unknown or bad fields', () => {
    expect(LogQuery.parse({ status: '5xx', limit: '20' })).toEqual({ status: '5xx', limit: 20 });
    expect(LogQuery.parse({})).toEqual({ limit: 100 });
    expect(LogQuery.safeParse({ status: '600' }).success).toBe(false);
    expect(LogQuery.safeParse({ limit: '5000' }).success).toBe(false);
    expect(LogQuery.safeParse({ drop: 'table' }).success).toBe(false);
  });
});
