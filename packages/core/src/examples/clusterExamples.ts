import type { ClusterNode, ClusterShared } from '../model/cluster.js';

/**
 * Cluster cases for keepalived's goldens and tests: one shared part, each unit's own part. The
 * goldens render both units from the same shared input, which is the point (seed 001's per-node
 * priority problem). Addresses are in 198.18.0.0/15 and 2001:db8::/32 (documentation ranges).
 */
export interface ClusterExample {
  name: string;
  description: string;
  shared: ClusterShared;
  units: Record<'a' | 'b', ClusterNode>;
}

const pairV4 = (priorities: Record<'a' | 'b', Record<string, number>>) => ({
  a: {
    interface: 'eth0',
    unicastSource: '198.18.0.11',
    peers: ['198.18.0.12'],
    priorities: priorities.a,
  },
  b: {
    interface: 'eth0',
    unicastSource: '198.18.0.12',
    peers: ['198.18.0.11'],
    priorities: priorities.b,
  },
});

export const CLUSTER_EXAMPLES: readonly ClusterExample[] = [
  {
    name: 'active-backup',
    description:
      'One instance, two VIPs, adverts every 100 ms, no preemption: a returning unit stays backup.',
    shared: {
      instances: [
        {
          name: 'edge',
          vrid: 51,
          advertIntervalMs: 100,
          preempt: false,
          vips: [
            { name: 'public-web', address: '198.18.0.100', prefixLength: 24 },
            { name: 'public-tunnel', address: '198.18.0.101', prefixLength: 24 },
          ],
        },
      ],
    },
    units: pairV4({ a: { edge: 150 }, b: { edge: 100 } }),
  },
  {
    name: 'active-active',
    description:
      'Two instances, each unit master for one VIP group, with preemption so each returns home.',
    shared: {
      instances: [
        {
          name: 'web',
          vrid: 61,
          advertIntervalMs: 200,
          preempt: true,
          vips: [{ name: 'web-vip', address: '198.18.0.110', prefixLength: 24 }],
        },
        {
          name: 'api',
          vrid: 62,
          advertIntervalMs: 200,
          preempt: true,
          vips: [{ name: 'api-vip', address: '198.18.0.120', prefixLength: 24 }],
        },
      ],
    },
    units: pairV4({ a: { web: 200, api: 100 }, b: { web: 100, api: 200 } }),
  },
  {
    name: 'ipv6',
    description: 'An IPv6 VIP with IPv6 unicast adverts (VRRPv3).',
    shared: {
      instances: [
        {
          name: 'edge6',
          vrid: 71,
          advertIntervalMs: 1000,
          preempt: false,
          vips: [{ name: 'public-v6', address: '2001:db8::100', prefixLength: 64 }],
        },
      ],
    },
    units: {
      a: {
        interface: 'eth0',
        unicastSource: '2001:db8::11',
        peers: ['2001:db8::12'],
        priorities: { edge6: 150 },
      },
      b: {
        interface: 'eth0',
        unicastSource: '2001:db8::12',
        peers: ['2001:db8::11'],
        priorities: { edge6: 100 },
      },
    },
  },
];
