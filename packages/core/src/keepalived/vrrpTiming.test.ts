import { describe, expect, it } from 'vitest';
import { parseApplianceConfig } from '../validate.js';
import { vipEndpoints, vrrpTimers } from './vrrpTiming.js';

describe('vrrpTimers', () => {
  it('follows RFC 5798: 3 adverts plus the priority skew', () => {
    expect(vrrpTimers(100, 100)).toEqual({ skewMs: 60.9375, masterDownMs: 360.9375 });
    expect(vrrpTimers(1000, 255).masterDownMs).toBeCloseTo(3003.9, 1);
  });
});

describe('vipEndpoints', () => {
  it('lists the binds on the instance VIPs only', () => {
    const r = parseApplianceConfig({
      schemaVersion: 1,
      cluster: {
        instances: [
          { name: 'edge', vrid: 1, vips: [{ name: 'pub', address: '198.18.0.100' }] },
          { name: 'other', vrid: 2, vips: [{ name: 'o', address: '198.18.0.101' }] },
        ],
      },
      services: [
        {
          name: 'web',
          mode: 'http',
          binds: [
            { vip: 'pub', port: 80 },
            { address: '*', port: 8080 },
            { vip: 'o', port: 81 },
          ],
          defaultBackend: 'app',
          backends: [{ name: 'app', servers: [{ name: 's1', address: '198.18.1.1', port: 80 }] }],
        },
      ],
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const edge = r.value.cluster.instances[0];
    if (!edge) throw new Error('no instance');
    expect(vipEndpoints(r.value, edge)).toEqual([{ address: '198.18.0.100', port: 80 }]);
  });
});
