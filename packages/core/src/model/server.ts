import { z } from 'zod';
import { Name } from '../grammar/names.js';
import { IpAddress, Port, ServerAddress } from '../grammar/network.js';
import { IntRange } from '../grammar/text.js';
import { DnsDiscovery } from './discovery.js';
import { hint } from './hints.js';

/**
 * The source address HAProxy connects from. Seed 002: at a few thousand new connections per
 * second to one MySQL server, one source IP runs out of ports; spreading servers over several
 * source addresses (or port ranges) multiplies the 64k limit.
 */
export const SourceAddress = z
  .object({
    address: IpAddress,
    portFrom: IntRange(1024, 65535).optional(),
    portTo: IntRange(1024, 65535).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if ((s.portFrom === undefined) !== (s.portTo === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['portTo'],
        message: 'set both portFrom and portTo, or neither',
      });
    } else if (s.portFrom !== undefined && s.portTo !== undefined && s.portFrom > s.portTo) {
      ctx.addIssue({
        code: 'custom',
        path: ['portTo'],
        message: 'must not be lower than portFrom',
      });
    }
  });
export type SourceAddress = z.output<typeof SourceAddress>;

export const SERVER_STATES = ['ready', 'drain', 'maint'] as const;
export type ServerState = (typeof SERVER_STATES)[number];

export const Server = z
  .object({
    name: hint(Name, { label: 'Name', placeholder: 'web1' }),
    address: hint(ServerAddress, { label: 'Address', placeholder: '198.18.0.10' }),
    port: hint(Port, { label: 'Port', placeholder: '8080' }),
    weight: hint(IntRange(0, 256).default(1), {
      label: 'Weight',
      help: 'Relative share of the traffic; 0 takes the server out of rotation',
    }),
    maxconn: hint(IntRange(1, 1_000_000).optional(), {
      label: 'Max connections',
      help: 'Further requests wait in the queue',
      unit: 'connections',
      advanced: true,
    }),
    backup: hint(z.boolean().default(false), {
      label: 'Backup',
      help: 'Only used when every non-backup server is down',
    }),
    // ready: takes traffic; drain: finishes what it has, takes no new clients (rendered as
    // weight 0, so `weight` is kept for the return to ready); maint: out of service.
    state: hint(z.enum(SERVER_STATES).default('ready'), {
      label: 'State',
      help: 'drain: no new connections; maint: out of service. Changed live, without a reload',
    }),
    check: hint(z.boolean().default(true), { label: 'Health-check this server' }),
    source: hint(SourceAddress.optional(), { label: 'Source address', advanced: true }),
  })
  .strict();
export type Server = z.output<typeof Server>;
export type ServerInput = z.input<typeof Server>;

/**
 * Server-template slots (seed 003): N pre-declared server slots filled without a reload, either
 * by the Runtime API (address, port, state) or, with `dns`, by HAProxy's resolver from DNS
 * records (issue 19).
 */
export const ServerTemplate = z
  .object({
    prefix: hint(Name, { label: 'Slot name prefix', placeholder: 'slot' }),
    count: hint(IntRange(1, 1000), { label: 'Slots', unit: 'servers' }),
    port: hint(Port, { label: 'Default port' }),
    dns: hint(DnsDiscovery.optional(), {
      label: 'Fill from DNS',
      help: 'HAProxy fills the slots from DNS records and follows them live',
    }),
  })
  .strict();
export type ServerTemplate = z.output<typeof ServerTemplate>;
