import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bloomHas, createBloom, wordTokens } from './bloom.js';
import { buildLogBlock } from './logBlock.js';
import {
  blockMayMatch,
  codesMayMatch,
  lineMayMatch,
  rowMatches,
  searchTokens,
  searchWords,
} from './logMatch.js';
import type { LogFilter } from './logFilter.js';
import { readStoredLine, toStoredLine } from './storedLogLine.js';

const line = (o: {
  client?: string;
  at?: number;
  fe?: string;
  be?: string;
  srv?: string;
  status?: number;
  host?: string;
  ua?: string;
  req?: string;
}) =>
  [
    'h1',
    o.client ?? '198.18.0.9',
    '4000',
    String(o.at ?? 1_000),
    o.fe ?? 'web',
    o.be ?? 'app',
    o.srv ?? 's1',
    '0',
    '0',
    '1',
    '2',
    '3',
    String(o.status ?? 200),
    '10',
    '----',
    '0',
    'hu',
    `{${o.host ?? 'h.example.com'}|${o.ua ?? 'curl/8'}}`,
    o.req ?? 'GET /x HTTP/1.1',
  ].join('\t');

describe('log block summary', () => {
  it('lists distinct values, dates the block, and counts lines that do not parse', () => {
    const b = buildLogBlock(
      [
        line({ at: 5, status: 503, be: 'a' }),
        line({ at: 3, fe: 'web~', be: 'b', req: 'POST /y HTTP/1.1' }),
        'h1\tbroken',
        toStoredLine('<129>Nov 21 14:27:17 haproxy[6]: Server a/s1 is DOWN', 9),
      ],
      7,
    );
    expect(b).toMatchObject({
      n: 4,
      atMin: 3,
      atMax: 9,
      summary: {
        status: [503, 200],
        frontend: ['web'],
        backend: ['a', 'b'],
        server: ['s1'],
        method: ['GET', 'POST'],
        errors: 1,
      },
    });
    expect(bloomHas(b.bloom, 'example')).toBe(true);
    expect(bloomHas(b.bloom, '\u0001198.18.')).toBe(true);
    expect(bloomHas(b.bloom, '\u0001198.18.0.9')).toBe(true);
  });

  it('gives up listing a field with too many values rather than skip a block wrongly', () => {
    const b = buildLogBlock(
      Array.from({ length: 100 }, (_, i) => line({ be: `b${i}` })),
      0,
    );
    expect(b.summary.backend).toBeNull();
    expect(blockMayMatch(b, { backend: 'b99', limit: 1 }, [])).toBe(true);
    expect(codesMayMatch(b.summary, b.codes, b.n, { backend: 'b99', status: 200, limit: 1 })).toBe(
      true,
    );
  });

  it('skips a block whose two asked-for values never share a line, by its line codes', () => {
    const b = buildLogBlock(
      [
        line({ be: 'rare', status: 200 }),
        line({ be: 'app', status: 503 }),
        line({ be: 'app', fe: 'api~', status: 404 }),
        toStoredLine('<129>Nov 21 14:27:17 haproxy[6]: Server a/s1 is DOWN', 9),
      ],
      0,
    );
    const may = (f: Omit<LogFilter, 'limit'>) =>
      codesMayMatch(b.summary, b.codes, b.n, { limit: 1, ...f });
    // The summary alone lets each of these through: both values are in the block.
    expect(blockMayMatch(b, { backend: 'rare', statusClass: 5, limit: 1 }, [])).toBe(true);
    expect(may({ backend: 'rare', statusClass: 5 })).toBe(false);
    expect(may({ backend: 'rare', status: 200 })).toBe(true);
    expect(may({ backend: 'app', statusClass: 5 })).toBe(true);
    expect(may({ frontend: 'api', status: 503 })).toBe(false);
    expect(may({ frontend: 'api', status: 404 })).toBe(true);
    // Codes from another form of the block (a summary stored before a merge) never rule out.
    expect(codesMayMatch(b.summary, b.codes.subarray(5), b.n, { backend: 'rare', limit: 1 })).toBe(
      true,
    );
  });

  it('never rules out a block or a line that holds a match (any lines, any filter)', () => {
    const word = fc.constantFrom('shop', 'Cart', 'é', 'x.y', 'a-b', '42', 'campaign7');
    const lineArb = fc.record({
      client: fc.constantFrom('198.18.0.1', '198.18.0.10', '198.19.7.7', '2001:db8::1'),
      at: fc.integer({ min: 0, max: 10 }),
      fe: fc.constantFrom('web', 'web~', 'api'),
      be: fc.constantFrom('app', 'pay'),
      status: fc.constantFrom(200, 302, 404, 503),
      host: fc.constantFrom('shop.example.com', 'Cart.Example', 'x.y'),
      ua: fc.constantFrom('curl/8', 'Mozilla/5.0 (X11) é', 'a-b bot'),
      req: fc
        .tuple(fc.constantFrom('GET', 'POST'), fc.array(word, { maxLength: 3 }))
        .map(([m, ws]) => `${m} /${ws.map(encodeURIComponent).join('/')} HTTP/1.1`),
    });
    // One or two conditions at a time: most filters then find lines, so the property bites.
    const conditions = fc.record({
      from: fc.integer({ min: 0, max: 10 }),
      status: fc.constantFrom(200, 404),
      statusClass: fc.constantFrom(2, 5),
      frontend: fc.constantFrom('web', 'api'),
      backend: fc.constantFrom('app', 'pay'),
      server: fc.constant('s1'),
      method: fc.constantFrom('GET', 'POST'),
      clientPrefix: fc.constantFrom('198.18.', '198.18.0.1', '2001:db8::1', '10.'),
      text: fc.array(word, { minLength: 1, maxLength: 2 }).map((w) => w.join(' ')),
    });
    const filterArb: fc.Arbitrary<LogFilter> = fc
      .tuple(
        conditions,
        fc.subarray(
          [
            'from',
            'status',
            'statusClass',
            'frontend',
            'backend',
            'server',
            'method',
            'clientPrefix',
            'text',
          ] as const,
          { minLength: 1, maxLength: 2 },
        ),
      )
      .map(([all, keys]) => ({ limit: 10, ...Object.fromEntries(keys.map((k) => [k, all[k]])) }));
    let matched = 0;
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 20 }), filterArb, (specs, f) => {
        const lines = specs.map(line);
        const b = buildLogBlock(lines, 0);
        const words = f.text ? searchWords(f.text).map((w) => w.toLowerCase()) : [];
        const tokens = f.text ? searchTokens(f.text) : [];
        const ascii = words.filter((w) => /^[\x20-\x7e]*$/.test(w));
        let any = false;
        lines.forEach((l, i) => {
          if (!rowMatches(readStoredLine(l, i, 0), f, words, tokens)) return;
          matched++;
          any = true;
          expect(lineMayMatch(l, f, ascii)).toBe(true);
          expect(blockMayMatch(b, f, tokens)).toBe(true);
        });
        const codesCanTell = Object.keys(f).every((k) =>
          ['limit', 'status', 'statusClass', 'frontend', 'backend', 'server', 'method'].includes(k),
        );
        // Exact on the fields they code: a line matches if and only if the codes say one may.
        if (codesCanTell) expect(codesMayMatch(b.summary, b.codes, b.n, f)).toBe(any);
        else if (any) expect(codesMayMatch(b.summary, b.codes, b.n, f)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    // Not vacuous: many generated filters do find lines.
    expect(matched).toBeGreaterThan(500);
  });
});

describe('bloom filter', () => {
  it('finds every word and prefix it was given, and few it was not', () => {
    const bloom = createBloom(1000);
    const added: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const text = `/shop/Item/${i * 7919}?ref=Campaign${i % 97}`;
      bloom.addWords(text);
      added.push(...wordTokens(text));
      bloom.addPrefixes('\u0001', `198.18.${i % 256}.${i % 7}`);
    }
    for (const w of added) expect(bloomHas(bloom.bits, w)).toBe(true);
    expect(bloomHas(bloom.bits, '\u0001198.18.3.')).toBe(true);
    let hits = 0;
    for (let i = 0; i < 10_000; i++) if (bloomHas(bloom.bits, `absent${i}`)) hits++;
    // Six bytes a line, here about two new words a line: well under the 4% worst case.
    expect(hits / 10_000).toBeLessThan(0.04);
  });

  it('reads words outside ASCII the way a search lower-cases them', () => {
    const bloom = createBloom(1);
    bloom.addWords('/Ünïcødé/Path');
    for (const t of searchTokens('ünïcødé path')) expect(bloomHas(bloom.bits, t)).toBe(true);
  });
});
