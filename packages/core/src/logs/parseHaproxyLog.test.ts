import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeTermination } from './describeTermination.js';
import { unescapeLog } from './compactLog.js';
import { parseHaproxyLog } from './parseHaproxyLog.js';

/** Real datagrams from HAProxy 2.6 (httplog with Host and User-Agent captures, tcplog). */
const REAL = {
  ok: '<134>Nov 21 14:23:04 haproxy[2913]: 127.0.0.1:47054 [21/Nov/2026:14:23:04.475] web app/s1 0/0/0/4/4 200 103 - - ---- 1/1/0/0/0 0/0 {shop.example.com:8080|Mozilla/5.0 (X11; #22quoted#22)} "GET /a/b?x=1&y=%20z HTTP/1.1"\n',
  refused:
    '<134>Nov 21 14:23:07 haproxy[2913]: 127.0.0.1:47062 [21/Nov/2026:14:23:04.489] web app/s2 0/0/-1/-1/3005 503 217 - - SC-- 1/1/0/0/3 0/0 {127.0.0.1:19501|curl/7.88.1} "GET /second HTTP/1.1"\n',
  tls: '<134>Nov 21 14:23:07 haproxy[2913]: 127.0.0.1:47376 [21/Nov/2026:14:23:07.509] web~ app/s1 0/0/0/1/1 200 103 - - ---- 1/1/0/0/0 0/0 {s.example.com|curl/7.88.1} "GET /secure HTTP/1.1"\n',
  tcp: '<134>Nov 21 14:23:07 haproxy[2913]: 127.0.0.1:45532 [21/Nov/2026:14:23:07.522] tcpf tapp/t1 1/0/2 124 -- 1/1/0/0/0 0/0\n',
  bad: '<134>Nov 21 14:23:07 haproxy[2913]: 127.0.0.1:47066 [21/Nov/2026:14:23:07.611] web web/<NOSRV> -1/-1/-1/-1/0 400 0 - - PR-- 1/1/0/0/0 0/0 "<BADREQ>"\n',
};

describe('parseHaproxyLog', () => {
  it('reads an HTTP line with captured Host and User-Agent into the URL the client sent', () => {
    const r = parseHaproxyLog(REAL.ok);
    expect(r.ok && 'record' in r && r.record).toMatchObject({
      kind: 'http',
      facility: 16,
      severity: 6,
      pid: 2913,
      clientIp: '127.0.0.1',
      clientPort: 47054,
      acceptedAt: Date.UTC(2026, 10, 21, 14, 23, 4, 475),
      frontend: 'web',
      tls: false,
      backend: 'app',
      server: 's1',
      timers: { request: 0, queue: 0, connect: 0, response: 4, total: 4 },
      status: 200,
      bytesRead: 103,
      termination: '----',
      connections: { active: 1, frontend: 1, backend: 0, server: 0, retries: 0 },
      method: 'GET',
      uri: '/a/b?x=1&y=%20z',
      httpVersion: 'HTTP/1.1',
      host: 'shop.example.com:8080',
      userAgent: 'Mozilla/5.0 (X11; "quoted")',
      url: 'http://shop.example.com:8080/a/b?x=1&y=%20z',
      badRequest: false,
    });
  });

  it('reads a refused connection with unreached timers and retries', () => {
    const r = parseHaproxyLog(REAL.refused);
    expect(r.ok && 'record' in r && r.record).toMatchObject({
      status: 503,
      termination: 'SC--',
      timers: { connect: -1, response: -1, total: 3005 },
      connections: { retries: 3 },
    });
  });

  it('marks TLS frontends and builds https URLs', () => {
    const r = parseHaproxyLog(REAL.tls);
    expect(r.ok && 'record' in r && r.record).toMatchObject({
      frontend: 'web',
      tls: true,
      url: 'https://s.example.com/secure',
    });
  });

  it('reads a TCP line', () => {
    const r = parseHaproxyLog(REAL.tcp);
    expect(r.ok && 'record' in r && r.record).toMatchObject({
      kind: 'tcp',
      frontend: 'tcpf',
      backend: 'tapp',
      server: 't1',
      timers: { queue: 1, connect: 0, total: 2 },
      bytesRead: 124,
      termination: '--',
      status: null,
    });
  });

  it('reads a bad request with no server', () => {
    const r = parseHaproxyLog(REAL.bad);
    expect(r.ok && 'record' in r && r.record).toMatchObject({
      server: null,
      status: 400,
      badRequest: true,
      method: null,
      url: null,
      termination: 'PR--',
      capturedRequest: [],
    });
  });

  it.each([
    ['', /not a syslog line/],
    ['hello', /not a syslog line/],
    ['<134>Nov 21 14:23:07 haproxy[1]: 198.18.0.1:80 [garbled', /not an HAProxy/],
    [REAL.ok.slice(0, 120), /not an HAProxy/],
    [REAL.ok.replace('21/Nov/2026', '21/Foo/2026'), /bad accept date/],
    [`<134>Nov 21 14:23:07 haproxy[1]: ${'x'.repeat(20_000)}`, /16 KiB/],
  ])('keeps %j raw with the reason', (line, why) => {
    const r = parseHaproxyLog(line);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatch(why);
      expect(r.raw.length).toBeGreaterThan(-1);
    }
  });

  it("reads HAProxy's own notices as messages, not errors", () => {
    const r = parseHaproxyLog(
      '<129>Nov 21 14:27:17 haproxy[6219]: Server web.app/web1 is DOWN, reason: Layer4 connection problem, info: #22Connection refused#22, check duration: 0ms.',
    );
    expect(r).toEqual({
      ok: true,
      message: {
        facility: 16,
        severity: 1,
        pid: 6219,
        text: 'Server web.app/web1 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms.',
      },
    });
  });

  it('reads any HTTP line HAProxy could write', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,20}$/);
    const escaped = fc
      .string({ maxLength: 30 })
      .map((s) =>
        s.replace(
          /[^\x20-\x7e]|["#{}|]/g,
          (c) => `#${c.charCodeAt(0).toString(16).padStart(2, '0').slice(-2)}`,
        ),
      );
    fc.assert(
      fc.property(
        word,
        word,
        word,
        fc.integer({ min: -1, max: 99999 }),
        fc.integer({ min: 100, max: 599 }),
        escaped,
        escaped,
        fc.boolean(),
        (fe, be, srv, t, status, host, ua, tls) => {
          const line = `<134>Nov 21 14:23:07 haproxy[7]: 198.18.0.9:1234 [01/Jan/2026:00:00:00.001] ${fe}${tls ? '~' : ''} ${be}/${srv} 0/0/${t}/1/2 ${status} 10 - - ---- 1/2/3/4/5 6/7 {${host}|${ua}} "GET /x HTTP/1.1"`;
          const r = parseHaproxyLog(line);
          expect(r.ok).toBe(true);
          if (!r.ok || !('record' in r)) return;
          expect(r.record).toMatchObject({
            frontend: fe,
            tls,
            backend: be,
            server: srv,
            status,
            timers: { connect: t },
            connections: { server: 4, retries: 5 },
            queues: { server: 6, backend: 7 },
          });
          expect(r.record.capturedRequest).toEqual([unescapeLog(host), unescapeLog(ua)]);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('describeTermination', () => {
  it.each([
    ['----', 'completed normally'],
    ['SC--', 'the server aborted or refused while connecting to the server'],
    ['cD--', 'the client timed out while transferring data'],
    ['PR--', 'the proxy aborted (a rule or a protocol error) while waiting for the request'],
    ['C-', 'the client aborted'],
    ['?x', 'unknown termination state ?x'],
  ])('%s: %s', (code, words) => {
    expect(describeTermination(code)).toBe(words);
  });
});
