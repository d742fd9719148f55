import type { LogRow } from '../api/logRow.js';
import { expect, it } from 'vitest';
import { isHaproxyMessage as isMessage } from './logRowKind.js';

const row = (o: Partial<LogRow>): LogRow => ({
  ...({} as LogRow),
  status: null,
  method: null,
  parseError: null,
  clientIp: null,
  ...o,
});

it('tells HAProxy messages from requests, TCP connections and unparsed lines', () => {
  expect(
    isMessage(row({ raw: 'Server web.app/web2 is DOWN, reason: Layer4 connection problem' })),
  ).toBe(true);
  expect(isMessage(row({ status: 200, method: 'GET', clientIp: '198.18.0.9' }))).toBe(false);
  // A TCP connection has no status or method, but a client.
  expect(isMessage(row({ clientIp: '198.18.0.9' }))).toBe(false);
  expect(isMessage(row({ parseError: 'not a syslog line', raw: 'garbage' }))).toBe(false);
});
