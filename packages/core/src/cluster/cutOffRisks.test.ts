import { describe, expect, it } from 'vitest';
import { parseApplianceConfig } from '../validate.js';
import { cutOffRisks, nodeCutOffRisks } from './cutOffRisks.js';

const config = (vip: string | null, adminPort = 8404) => {
  const r = parseApplianceConfig({
    schemaVersion: 1,
    global: { admin: { port: adminPort } },
    cluster: {
      instances: vip ? [{ name: 'edge', vrid: 51, vips: [{ name: 'web', address: vip }] }] : [],
    },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};
const node = (iface: string, source: string) => ({
  interface: iface,
  unicastSource: source,
  peers: ['198.18.0.12'],
  priorities: {},
});

describe('cut-off risks', () => {
  it('names a VIP that goes away or moves, and an admin endpoint that moves', () => {
    expect(cutOffRisks(config('198.18.0.100'), config(null))).toEqual([
      'VIP 198.18.0.100 goes away',
    ]);
    expect(cutOffRisks(config('198.18.0.100'), config('198.18.0.101'))).toEqual([
      'VIP 198.18.0.100 goes away',
    ]);
    expect(cutOffRisks(config(null), config(null, 9000))).toEqual([
      'the admin endpoint moves from 127.0.0.1:8404 to 127.0.0.1:9000',
    ]);
  });

  it('sees nothing to confirm in a new VIP, an unchanged one, or a first configuration', () => {
    expect(cutOffRisks(config(null), config('198.18.0.100'))).toEqual([]);
    expect(cutOffRisks(config('198.18.0.100'), config('198.18.0.100'))).toEqual([]);
    expect(cutOffRisks(null, config(null))).toEqual([]);
  });

  it("names a unit's VRRP interface or source that moves", () => {
    expect(nodeCutOffRisks(node('eth0', '198.18.0.11'), node('eth1', '198.18.1.11'))).toEqual([
      'VRRP moves from eth0 to eth1',
      "VRRP's source moves from 198.18.0.11 to 198.18.1.11",
    ]);
    expect(nodeCutOffRisks(null, node('eth0', '198.18.0.11'))).toEqual([]);
  });
});
