import { describe, expect, it } from 'vitest';
import { applySets, parseArgs, parseSetValue, UsageError } from './parseArgs.js';

describe('parseArgs', () => {
  it('reads positionals, flags and repeated --set', () => {
    const a = parseArgs([
      'service',
      'add',
      '--template',
      'http-load-balancing',
      '--set',
      'name=web',
      '--set=port=80',
      '--json',
      '-m',
      'hello',
    ]);
    expect(a.positionals).toEqual(['service', 'add']);
    expect(a.flags.get('set')).toEqual(['name=web', 'port=80']);
    expect(a.flags.get('json')).toEqual(['true']);
    expect(a.flags.get('message')).toEqual(['hello']);
  });

  it('refuses a flag without value', () => {
    expect(() => parseArgs(['--state'])).toThrow(UsageError);
  });
});

describe('--set values', () => {
  it.each([
    ['80', 80],
    ['true', true],
    ['web', 'web'],
    [
      '198.18.0.1:80,app.internal:8080',
      [
        { address: '198.18.0.1', port: 80 },
        { address: 'app.internal', port: 8080 },
      ],
    ],
    ['[{"address":"::1","port":80}]', [{ address: '::1', port: 80 }]],
    ['::1:80', '::1:80'],
  ])('reads %j', (raw, value) => {
    expect(parseSetValue(raw)).toEqual(value);
  });

  it('builds nested keys', () => {
    expect(applySets({ a: 1 }, ['b.c=2', 'servers.0.port=8080'])).toEqual({
      a: 1,
      b: { c: 2 },
      servers: [{ port: 8080 }],
    });
    expect(() => applySets({}, ['novalue'])).toThrow(UsageError);
  });
});
