import { describe, expect, it } from 'vitest';
import { parseApplianceConfig } from '../validate.js';
import {
  clusterNodeProblems,
  proposeClusterNode,
  sameNetwork,
  type HostInterface,
} from './nodeProposal.js';

const config = (() => {
  const r = parseApplianceConfig({
    schemaVersion: 1,
    cluster: {
      instances: [{ name: 'edge', vrid: 51, vips: [{ name: 'web', address: '198.18.0.100' }] }],
    },
  });
  if (!r.ok) throw new Error('fixture');
  return r.value;
})();
const interfaces: HostInterface[] = [
  { name: 'lo', internal: true, addresses: [{ address: '127.0.0.1', prefixLength: 8 }] },
  { name: 'eth1', internal: false, addresses: [{ address: '203.0.113.5', prefixLength: 24 }] },
  { name: 'eth0', internal: false, addresses: [{ address: '198.18.0.11', prefixLength: 24 }] },
];

describe('cluster node proposal', () => {
  it('tells networks apart on any prefix', () => {
    expect(sameNetwork('198.18.0.11', 24, '198.18.0.12')).toBe(true);
    expect(sameNetwork('198.18.0.11', 25, '198.18.0.200')).toBe(false);
    expect(sameNetwork('198.18.0.11', 15, '198.19.4.4')).toBe(true);
    expect(sameNetwork('2001:db8::1', 64, '2001:db8::2')).toBe(true);
    expect(sameNetwork('198.18.0.11', 24, '2001:db8::2')).toBe(false);
  });

  it('proposes the interface on the peer network, the peer, and 150 on the inviter', () => {
    expect(
      proposeClusterNode({ interfaces, peerAddress: '198.18.0.12', role: 'inviter', config }),
    ).toEqual({
      interface: 'eth0',
      unicastSource: '198.18.0.11',
      peers: ['198.18.0.12'],
      priorities: { edge: 150 },
    });
    expect(
      proposeClusterNode({ interfaces, peerAddress: '198.18.0.12', role: 'joiner', config })
        ?.priorities,
    ).toEqual({ edge: 100 });
    expect(
      proposeClusterNode({ interfaces, peerAddress: '192.0.2.1', role: 'joiner', config }),
    ).toBeNull();
  });

  it('names what cannot work or would cut the operator off', () => {
    const problems = clusterNodeProblems(
      {
        interface: 'eth9',
        unicastSource: '198.18.0.11',
        peers: ['198.18.0.100'],
        priorities: { edg: 150 },
      },
      interfaces,
      config,
    );
    expect(problems.map((p) => p.path)).toEqual(['interface', 'unicastSource', 'priorities.edg']);
    expect(problems[1]?.message).toContain('your access');
    expect(
      clusterNodeProblems(
        { interface: 'eth0', unicastSource: '203.0.113.5', peers: ['198.18.0.12'], priorities: {} },
        interfaces,
        config,
      )[0],
    ).toMatchObject({
      path: 'unicastSource',
      message: expect.stringContaining('must be an address of eth0'),
    });
    expect(
      clusterNodeProblems(
        {
          interface: 'eth0',
          unicastSource: '198.18.0.11',
          peers: ['198.18.0.12'],
          priorities: { edge: 150 },
        },
        interfaces,
        config,
      ),
    ).toEqual([]);
  });
});
