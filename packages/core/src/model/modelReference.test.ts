import { describe, expect, it } from 'vitest';
import { referenceOf, referencePathOf, serviceReference } from './modelReference.js';

describe('model reference', () => {
  it('lists every field of a service with its type, rule, default and help', () => {
    const rows = serviceReference();
    const row = (path: string) => rows.find((r) => r.path === path);
    expect(row('name')).toMatchObject({ type: 'string', required: true });
    expect(row('binds')).toMatchObject({ type: 'list of object', rule: 'items 1 to 32' });
    expect(row('binds.port')).toMatchObject({
      type: 'integer',
      rule: '1 to 65535',
      required: true,
      label: 'Port',
    });
    expect(row('binds.tls')).toMatchObject({ type: 'boolean', default: false, label: 'TLS' });
    expect(row('timeouts.client')).toMatchObject({
      type: 'duration (500ms, 30s, 5m, 1h) or milliseconds',
      rule: '1ms to 1d',
    });
    expect(row('mode')?.type).toMatch(/"http" or "tcp"|"tcp" or "http"/);
    // Fields under lists of lists, and of each alternative of a union, are there too.
    expect(row('backends.servers.port')).toBeDefined();
    // A union's discriminator lists every kind.
    expect(row('rules.conditions.type')?.type).toMatch(/^"host" or .*"path" or .*"method"/);
    expect(row('rules.conditions.methods')).toBeDefined();
    // One row a field.
    expect(new Set(rows.map((r) => r.path)).size).toBe(rows.length);
  });

  it('follows $refs and lists a recursive part once', () => {
    const rows = referenceOf({
      type: 'object',
      properties: { tree: { $ref: '#/$defs/node' } },
      $defs: {
        node: {
          type: 'object',
          properties: {
            name: { type: 'string', minLength: 1 },
            kids: { type: 'array', items: { $ref: '#/$defs/node' } },
          },
          required: ['name'],
        },
      },
    });
    expect(rows.map((r) => `${r.path}: ${r.type} ${r.rule}`.trim())).toEqual([
      'tree: object',
      'tree.name: string length at least 1',
      'tree.kids: list of object',
    ]);
  });

  it('points an error path of the configuration or of a service edit at its row', () => {
    expect(referencePathOf('config.services[3].backends[0].servers[1].port')).toBe(
      'backends.servers.port',
    );
    expect(referencePathOf('services[0].name')).toBe('name');
    expect(referencePathOf('service.binds[2].address')).toBe('binds.address');
    expect(referencePathOf('config.services[3]')).toBe('');
    expect(referencePathOf('config.global.maxconn')).toBeNull();
  });
});
