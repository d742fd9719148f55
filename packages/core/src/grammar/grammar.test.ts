import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { AbsolutePath, HeaderName, Name, PasswordHash, Token, UserName } from './names.js';
import { Cidr, HostName, HostPattern, IpAddress, Port, ServerAddress } from './network.js';
import {
  CheckPayload,
  DurationMs,
  formatDuration,
  PathFragment,
  PrintableText,
  Regex,
  SafeText,
  UrlPath,
} from './text.js';

/** Each grammar with the inputs it must accept and must refuse (the client-native habit). */
const table: [string, z.ZodType, unknown[], unknown[]][] = [
  [
    'Name',
    Name,
    ['web', 'web.app', 'a:b', 'A-1_2', 'x'.repeat(64)],
    ['', '-web', '.x', 'a b', 'a\nb', 'x'.repeat(65), 'é', 'a/b', 'a#b', "a'b", 42],
  ],
  [
    'HeaderName',
    HeaderName,
    ['Host', 'X-Forwarded-For', 'x-imps-instance', 'a!b'],
    ['', 'a b', 'a:b', 'X\r\nY', 'a"b', "a'b", '-x', 'a$b'],
  ],
  ['Token', Token, ['id', 'SERVERID', 'a.b-c_d'], ['', 'a b', 'a=b', '-a', 'a;b']],
  [
    'UserName',
    UserName,
    ['admin', 'haproxy_check', '_x'],
    ['Admin', '', 'a b', '1abc', 'a'.repeat(33)],
  ],
  [
    'PasswordHash',
    PasswordHash,
    ['$6$saltsalt$' + 'a'.repeat(86), '$5$rounds$abcdefgh', '$y$j9T$abcdefghijkl'],
    ['letmein', '$1$abc$def', '', '$6$ab cd$efghijkl', '$6$\n'],
  ],
  [
    'AbsolutePath',
    AbsolutePath,
    ['/run/tandem/haproxy.sock', '/var/lib/tandem/maps', '/'],
    ['run/x', '/a/../b', '/a/./b', '/a b', '/a\nb', '//a', '/a//b', '/' + 'a'.repeat(250), '/a$b'],
  ],
  ['IpAddress', IpAddress, ['198.18.0.1', '::1'], ['localhost', '198.18.0.1:80', '', 5]],
  ['Cidr', Cidr, ['198.18.0.0/15', '::/0', '198.18.0.9'], ['198.18.0.0/40', 'any']],
  ['Port', Port, [1, 80, 65535], [0, 65536, -1, 80.5, '80', NaN, Infinity]],
  [
    'HostName',
    HostName,
    ['app.example.com', 'localhost', 'a-b.c'],
    ['-a.com', 'a..b', 'a_b.com', 'a b', `${'a'.repeat(64)}.com`, ''],
  ],
  [
    'ServerAddress',
    ServerAddress,
    ['198.18.0.1', '2001:db8::1', 'db.internal'],
    ['db internal', 'db;rm', '', 'a\nb'],
  ],
  [
    'HostPattern',
    HostPattern,
    ['static.', '.example.com', 'example.com'],
    ['', 'a..b', 'a b', 'a*b', 'x/y'],
  ],
  [
    'SafeText',
    SafeText(30),
    ['Café frontend ☃', 'it\'s "quoted" #1 $HOME', ''],
    ['a\nb', 'a\rb', 'a\u0000b', 'a\u2028b', 'a\u0085b', 'x'.repeat(31)],
  ],
  ['PrintableText', PrintableText(1, 10), ['a b', '\'"#$\\'], ['', 'é', 'a\tb', 'x'.repeat(11)]],
  [
    'UrlPath',
    UrlPath,
    ['/', '/health?x=1', '/a/b'],
    ['', 'health', '/a b', '/a\nb', `/${'a'.repeat(1024)}`],
  ],
  ['PathFragment', PathFragment, ['.jpg', '/static/', '-f'], ['', 'a b', '\t']],
  [
    'Regex',
    Regex,
    ['^/api/', '\\.(png|jpg)$', "it's"],
    ['', '(', '[a-', '(?<=a)b', '(?<name>a)', 'a\nb', 'x'.repeat(257)],
  ],
  [
    'CheckPayload',
    CheckPayload,
    ['PING\r\n', 'a"b\'c$d\\e#', '\t'],
    ['', '\u0000', 'é', 'x'.repeat(1025)],
  ],
];

describe.each(table)('%s', (_name, schema, accepted, rejected) => {
  it.each(accepted.map((v) => [v]))('accepts %j', (v) => {
    expect(schema.safeParse(v).success).toBe(true);
  });
  it.each(rejected.map((v) => [v]))('rejects %j', (v) => {
    const r = schema.safeParse(v);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/\w/);
  });
});

describe('durations as HAProxy users write them', () => {
  const d = DurationMs(100, 86_400_000);
  it.each([
    ['100ms', 100],
    ['31s', 31_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    [' 2s ', 2_000],
    ['2500', 2_500],
    [2500, 2_500],
  ])('reads %j as %i ms', (input, ms) => {
    expect(d.parse(input)).toBe(ms);
  });

  it.each([
    ['5 minutes', 'must be a duration like 500ms, 30s, 5m or 1h'],
    ['1.5s', 'must be a duration like 500ms, 30s, 5m or 1h'],
    ['-1s', 'must be a duration like 500ms, 30s, 5m or 1h'],
    ['5s\nx', 'must be a duration like 500ms, 30s, 5m or 1h'],
    ['99ms', 'must be at least 100ms'],
    ['2d', 'must be at most 1d'],
    [1.5, 'must be a whole number of milliseconds'],
  ])('refuses %j: %s', (input, message) => {
    const r = d.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe(message);
  });

  it('formats with the largest whole unit', () => {
    expect([100, 1_000, 90_000, 300_000, 3_600_000, 86_400_000, 0].map(formatDuration)).toEqual([
      '100ms',
      '1s',
      '90s',
      '5m',
      '1h',
      '1d',
      '0ms',
    ]);
  });
});
