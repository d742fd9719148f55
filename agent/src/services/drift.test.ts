import { parseApplianceConfig } from '@tandem/core';
import { describe, expect, it } from 'vitest';
import type { ServerStateRow } from '@tandem/core';
import { findDrift } from './drift.js';

const cfg = (() => {
  const r = parseApplianceConfig({
    schemaVersion: 1,
    services: [
      {
        name: 'web',
        mode: 'http',
        binds: [{ address: '*', port: 80 }],
        defaultBackend: 'app',
        backends: [
          {
            name: 'app',
            servers: [
              { name: 'a', address: '198.18.0.1', port: 80, weight: 3 },
              { name: 'b', address: '198.18.0.2', port: 80, state: 'drain' },
              { name: 'c', address: 'c.internal', port: 80, state: 'maint' },
            ],
          },
        ],
      },
    ],
  });
  if (!r.ok) throw new Error('fixture');
  return r.value;
})();

const row = (server: string, o: Partial<ServerStateRow> = {}): ServerStateRow => ({
  backend: 'web.app',
  server,
  address: '198.18.0.1',
  port: 80,
  opState: 2,
  adminState: 0,
  userWeight: 1,
  ...o,
});

describe('findDrift', () => {
  it('finds nothing when HAProxy matches the model', () => {
    const live = [
      row('a', { userWeight: 3 }),
      row('b', { address: '198.18.0.2', userWeight: 0 }),
      row('c', { address: '10.0.0.9', adminState: 0x04 }),
    ];
    expect(findDrift(cfg, live)).toEqual([]);
  });

  it('reports state, weight, address and missing servers', () => {
    const live = [
      row('a', { userWeight: 7, address: '198.18.0.9' }),
      row('b', { address: '198.18.0.2', adminState: 0x01 }),
    ];
    expect(findDrift(cfg, live)).toEqual([
      { server: 'web.app/a', field: 'weight', running: '3', live: '7' },
      { server: 'web.app/a', field: 'address', running: '198.18.0.1', live: '198.18.0.9' },
      { server: 'web.app/b', field: 'state', running: 'drain', live: 'maint' },
      { server: 'web.app/c', field: 'missing', running: 'present', live: 'absent' },
    ]);
  });
});
