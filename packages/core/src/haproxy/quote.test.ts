import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigSyntaxError, parseHaproxyConfig, tokenizeLine } from './parseConfig.js';
import { quoteWord } from './quote.js';

describe('quoteWord', () => {
  it.each([
    ['web.app', 'web.app'],
    ['*:80', '*:80'],
    ['{', '{'],
    ['a b', "'a b'"],
    ['#', "'#'"],
    ['$HOME', "'$HOME'"],
    ["it's", `"it's"`],
    ["it's $HOME", `"it's \\$HOME"`],
    ['PING\r\n', '"PING\\r\\n"'],
    ['\u0001', '"\\x01"'],
    ['', "''"],
    ['a\\b', "'a\\b'"],
  ])('quotes %j as %s', (word, quoted) => {
    expect(quoteWord(word)).toBe(quoted);
  });

  it('reads back as exactly one word, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        expect(tokenizeLine(quoteWord(s), 1)).toEqual([s]);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a sequence of words apart', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary', maxLength: 30 }), { maxLength: 8 }),
        (words) => {
          expect(tokenizeLine(words.map(quoteWord).join(' '), 1)).toEqual(words);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('tokenizeLine', () => {
  it.each([
    ['a b  c', ['a', 'b', 'c']],
    ['a # comment', ['a']],
    ["'a # b'", ['a # b']],
    ['a\\ b', ['a b']],
    ['a\\#b', ['a#b']],
    ['"a\\x41\\t"', ['aA\t']],
    ['x\\$y', ['x\\$y']],
    ['"q\\$"', ['q$']],
    ['a"b c"d', ['ab cd']],
    ['\\q', ['\\q']],
  ])('reads %j', (line, words) => {
    expect(tokenizeLine(line, 1)).toEqual(words);
  });

  it.each([
    ["'open", /single quote/],
    ['"open', /double quote/],
    ['"$HOME"', /environment/],
    ['a\\', /end of line/],
    ['"\\xZZ"', /\\x/],
  ])('refuses %j', (line, why) => {
    expect(() => tokenizeLine(line, 3)).toThrow(why);
  });
});

describe('parseHaproxyConfig', () => {
  it('splits sections and directives and notes line numbers', () => {
    const sections = parseHaproxyConfig(
      '# c\nglobal\n    maxconn 1\n\nfrontend web\n    bind *:80\n',
    );
    expect(sections).toEqual([
      { kind: 'global', args: [], line: 2, directives: [{ words: ['maxconn', '1'], line: 3 }] },
      {
        kind: 'frontend',
        args: ['web'],
        line: 5,
        directives: [{ words: ['bind', '*:80'], line: 6 }],
      },
    ]);
  });

  it('sees an injected section for what it is', () => {
    const sections = parseHaproxyConfig('global\n    x\nprogram evil\n    command /bin/sh\n');
    expect(sections.map((s) => s.kind)).toEqual(['global', 'program']);
  });

  it('refuses directives outside sections and carriage returns', () => {
    expect(() => parseHaproxyConfig('maxconn 1\n')).toThrow(ConfigSyntaxError);
    expect(() => parseHaproxyConfig('global\r\n')).toThrow(/carriage return/);
  });
});
