import { z } from 'zod';
import { InterfaceName, Name } from '../grammar/names.js';
import { IpAddress } from '../grammar/network.js';
import { IntRange } from '../grammar/text.js';
import { hint } from './hints.js';

/**
 * Cluster settings are split in two (seed 001's "per-node priority" problem): the shared part is
 * the same on both units and is synced; the node part (priority, interface, addresses) never is.
 */
export const Vip = z
  .object({
    name: hint(Name, { label: 'VIP name', placeholder: 'public' }),
    address: hint(IpAddress, { label: 'Address', placeholder: '198.18.0.100' }),
    prefixLength: hint(IntRange(1, 128).default(24), { label: 'Prefix length' }),
  })
  .strict();
export type Vip = z.output<typeof Vip>;

export const VrrpInstance = z
  .object({
    name: hint(Name, { label: 'Instance name' }),
    vrid: hint(IntRange(1, 255), {
      label: 'Virtual router ID',
      help: 'Unique per network segment',
    }),
    // VRRPv3 counts adverts in centiseconds; keepalived accepts 0.01 s steps.
    advertIntervalMs: hint(IntRange(10, 40_950).default(200), {
      label: 'Advert interval',
      help: 'Failover takes about 3 intervals',
      unit: 'ms',
    }),
    preempt: hint(z.boolean().default(false), {
      label: 'Preempt',
      help: 'Take the VIPs back when this unit returns with a higher priority (a second interruption)',
    }),
    vips: z.array(Vip).min(1, { error: 'needs at least one VIP' }).max(32),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.advertIntervalMs % 10 !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['advertIntervalMs'],
        message: 'must be a multiple of 10 ms',
      });
    }
  });
export type VrrpInstance = z.output<typeof VrrpInstance>;

export const ClusterShared = z
  .object({ instances: z.array(VrrpInstance).max(16).default([]) })
  .strict();
export type ClusterShared = z.output<typeof ClusterShared>;

/** This unit's own cluster settings: never synced to the peer. */
export const ClusterNode = z
  .object({
    interface: InterfaceName,
    unicastSource: IpAddress,
    peers: z.array(IpAddress).min(1).max(8),
    priorities: z.record(Name, IntRange(1, 254)),
  })
  .strict();
export type ClusterNode = z.output<typeof ClusterNode>;
