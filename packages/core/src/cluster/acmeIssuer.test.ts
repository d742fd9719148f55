import { describe, expect, it } from 'vitest';
import { configWith, webService } from '../model/testConfig.js';
import { parseApplianceConfig } from '../validate.js';
import { acmeIssuer } from './acmeIssuer.js';

const config = (() => {
  const input = {
    ...configWith(
      webService({
        name: 'shop',
        binds: [{ vip: 'public', port: 443, tls: true }],
        tls: { certificate: 'shop' },
      }),
    ),
    cluster: {
      instances: [
        { name: 'edge', vrid: 51, vips: [{ name: 'public', address: '198.18.0.100' }] },
        { name: 'inner', vrid: 52, vips: [{ name: 'private', address: '198.18.0.101' }] },
      ],
    },
  };
  const r = parseApplianceConfig(input);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
})();
const states = (edge: string, inner: string) => [
  { name: 'edge', state: edge },
  { name: 'inner', state: inner },
];
const issuer = (name: string, vrrp = states('BACKUP', 'MASTER'), paired = true) =>
  acmeIssuer({ name, config, vrrp, paired, peer: 'lab-b' });

describe('acmeIssuer', () => {
  it('is the unit holding the VIP the certificate is served on, not the master of another', () => {
    expect(issuer('shop', states('MASTER', 'BACKUP'))).toEqual({ here: true });
    expect(issuer('shop', states('BACKUP', 'MASTER'))).toEqual({
      here: false,
      why: expect.stringContaining('lab-b holds the VIP of instance edge'),
    });
  });

  it('for a certificate on no VIP, is the master of any instance', () => {
    expect(issuer('spare', states('BACKUP', 'MASTER'))).toEqual({ here: true });
    expect(issuer('spare', states('BACKUP', 'FAULT'))).toMatchObject({
      here: false,
      why: expect.stringContaining('this unit is the backup'),
    });
  });

  it('is always this unit when it is not paired or runs no VRRP', () => {
    expect(issuer('shop', states('BACKUP', 'BACKUP'), false)).toEqual({ here: true });
    expect(
      acmeIssuer({
        name: 'shop',
        config: { ...config, cluster: { instances: [] } },
        vrrp: [],
        paired: true,
        peer: 'lab-b',
      }),
    ).toEqual({ here: true });
  });
});
