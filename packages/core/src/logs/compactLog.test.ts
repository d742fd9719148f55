import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compactLogFormat,
  isCompactLog,
  parseCompactLog,
  splitRequestLine,
  unescapeLog,
} from './compactLog.js';
import { parseHaproxyLog } from './parseHaproxyLog.js';

/** Lines HAProxy 2.6 wrote with compactLogFormat (ring in rfc3164 format, captured on loopback). */
const REAL = {
  both: '<134>Dec  1 00:48:59 localhost haproxy[27893]: h1\t127.0.0.1\t57110\t1796086139163\tfe\tbe\ts1\t0\t0\t0\t0\t0\t200\t73\t----\t0\thu\t{shop.example.com:8080|Moz #22x#22#09tab#7Cp#C3#A9#7B#7D#23}\tGET /a/b?x=1&y=%20z HTTP/1.1\n',
  agentOnly:
    '<134>Dec  1 00:48:59 localhost haproxy[27893]: h1\t127.0.0.1\t36412\t1796086139164\tfu\tfu\t<NOSRV>\t0\t-1\t-1\t-1\t0\t200\t73\tLR--\t0\tu\t{curl/8}\tPOST /u HTTP/1.0\n',
  bad: '<134>Dec  1 00:48:59 localhost haproxy[27893]: h1\t127.0.0.1\t57120\t1796086139164\tfe\tfe\t<NOSRV>\t-1\t-1\t-1\t-1\t0\t400\t0\tPR--\t0\thu\t\t<BADREQ>\n',
  tcp: '<134>Dec  1 00:49:02 localhost haproxy[27893]: t1\t127.0.0.1\t39064\t1796086139164\tft\tbt\tt1\t1\t-1\t3004\t0\tSC\t3\n',
};

const record = (line: string) => {
  const r = parseHaproxyLog(line);
  if (!r.ok || !('record' in r)) throw new Error(`did not parse: ${JSON.stringify(r)}`);
  return r.record;
};

describe("Tandem's log format", () => {
  it('names the captures a line holds and writes TCP lines without HTTP fields', () => {
    expect(compactLogFormat('http', { host: true, userAgent: true })).toBe(
      'h1\t%ci\t%cp\t%Ts%ms\t%ft\t%b\t%s\t%TR\t%Tw\t%Tc\t%Tr\t%Ta\t%ST\t%B\t%tsc\t%rc\thu\t%hr\t%r',
    );
    expect(compactLogFormat('http', { host: false, userAgent: true })).toContain('\tu\t%hr\t');
    expect(compactLogFormat('http', { host: false, userAgent: false })).toContain('\t-\t\t%r');
    expect(compactLogFormat('tcp', { host: true, userAgent: true })).toBe(
      't1\t%ci\t%cp\t%Ts%ms\t%ft\t%b\t%s\t%Tw\t%Tc\t%Tt\t%B\t%ts\t%rc',
    );
  });

  it('reads what HAProxy wrote: the URL, escaped captures decoded as UTF-8, the header parts', () => {
    expect(record(REAL.both)).toMatchObject({
      kind: 'http',
      facility: 16,
      severity: 6,
      pid: 27893,
      clientIp: '127.0.0.1',
      clientPort: 57110,
      acceptedAt: 1796086139163,
      frontend: 'fe',
      backend: 'be',
      server: 's1',
      timers: { request: 0, queue: 0, connect: 0, response: 0, total: 0 },
      status: 200,
      bytesRead: 73,
      termination: '----',
      connections: { retries: 0 },
      method: 'GET',
      uri: '/a/b?x=1&y=%20z',
      httpVersion: 'HTTP/1.1',
      host: 'shop.example.com:8080',
      userAgent: 'Moz "x"\ttab|pé{}#',
      url: 'http://shop.example.com:8080/a/b?x=1&y=%20z',
    });
  });

  it('knows which capture is which when only the User-Agent is captured', () => {
    expect(record(REAL.agentOnly)).toMatchObject({
      host: null,
      userAgent: 'curl/8',
      server: null,
      method: 'POST',
      url: null,
      timers: { connect: -1, response: -1 },
    });
  });

  it('reads a bad request and a TCP line', () => {
    expect(record(REAL.bad)).toMatchObject({
      status: 400,
      badRequest: true,
      method: null,
      host: null,
      termination: 'PR--',
    });
    expect(record(REAL.tcp)).toMatchObject({
      kind: 'tcp',
      frontend: 'ft',
      backend: 'bt',
      server: 't1',
      timers: { queue: 1, connect: -1, total: 3004 },
      bytesRead: 0,
      termination: 'SC',
      connections: { retries: 3 },
      status: null,
    });
  });

  it('marks TLS frontends and reads a redispatch', () => {
    const line = REAL.both.replace('\tfe\t', '\tfe~\t').replace('----\t0', '----\t+2');
    expect(record(line)).toMatchObject({
      frontend: 'fe',
      tls: true,
      url: 'https://shop.example.com:8080/a/b?x=1&y=%20z',
      connections: { retries: 2 },
    });
  });

  it.each([
    ['h1\t1\t2', /field count/],
    [REAL.both.split(': ')[1]!.replace('1796086139163', 'x').trim(), /accept time/],
  ])('says why a line in its layout does not parse: %j', (body, why) => {
    const r = parseCompactLog(body);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(why);
  });

  it('is told apart from httplog lines and notices', () => {
    expect(isCompactLog('h1\tx')).toBe(true);
    expect(isCompactLog('t1\tx')).toBe(true);
    expect(isCompactLog('h2\tx')).toBe(false);
    expect(isCompactLog('127.0.0.1:80 [x')).toBe(false);
    expect(isCompactLog('h1')).toBe(false);
  });

  it.each([
    ['GET /x HTTP/1.1', { method: 'GET', uri: '/x', version: 'HTTP/1.1' }],
    ['GET /x', { method: 'GET', uri: '/x', version: null }],
    ['OPTIONS * HTTP/1.0', { method: 'OPTIONS', uri: '*', version: 'HTTP/1.0' }],
    ['GET /a#20b HTTP/1.1', { method: 'GET', uri: '/a b', version: 'HTTP/1.1' }],
    ['<BADREQ>', null],
    ['get /x HTTP/1.1', null],
    ['GET  HTTP/1.1', null],
    ['GET /a b HTTP/1.1', null],
  ])('splits the request line %j', (text, parts) => {
    expect(splitRequestLine(text)).toEqual(parts);
  });

  it('reads back any captures and request target HAProxy could write', () => {
    const escape = (s: string) =>
      Array.from(new TextEncoder().encode(s))
        .map((b) =>
          b < 0x20 || b >= 0x7f || '"#{}| '.includes(String.fromCharCode(b))
            ? `#${b.toString(16).toUpperCase().padStart(2, '0')}`
            : String.fromCharCode(b),
        )
        .join('');
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30 }),
        fc.string({ maxLength: 30 }),
        fc.stringMatching(/^\/[!-~]{0,30}$/),
        (host, ua, path) => {
          const body = `h1\t198.18.0.9\t1\t0\tweb\tapp\ts1\t0\t0\t0\t0\t0\t200\t1\t----\t0\thu\t{${escape(host)}|${escape(ua)}}\tGET ${escape(path)} HTTP/1.1`;
          const r = parseCompactLog(body);
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          expect(r.record.host).toBe(host === '' ? null : host);
          expect(r.record.userAgent).toBe(ua === '' ? null : ua);
          expect(r.record.uri).toBe(path);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('decodes escapes byte by byte', () => {
    expect(unescapeLog('a#C3#A9b#22')).toBe('aéb"');
    expect(unescapeLog('no escapes')).toBe('no escapes');
    expect(unescapeLog('#FF#41')).toBe('\u00ffA');
  });
});
