import { z } from 'zod';
import { DnsDiscovery } from '../model/discovery.js';
import { hint } from '../model/hints.js';
import { IntRange } from '../grammar/text.js';
import { Port } from '../grammar/network.js';
import { bindOn, healthPath, listenOn } from './params.js';
import { defineTemplate } from './serviceTemplate.js';

/**
 * A pool whose servers come from DNS (issue 19): a registry's SRV records, a Kubernetes headless
 * service or plain round-robin A records, followed live by HAProxy's resolver (no reload), each
 * server health-checked. Seed 003's web farm without its polling script.
 */
export const dnsPool = defineTemplate({
  name: 'dns-pool',
  title: 'Dynamic pool from DNS',
  summary:
    'Spread requests over the servers a DNS name lists (A, AAAA or SRV records), followed live as they come and go.',
  recipe: 'seed 003: the web farm scaled by DNS instead of a script',
  params: z
    .object({
      ...listenOn(80),
      mode: hint(z.enum(['http', 'tcp']).default('http'), {
        label: 'Protocol',
        help: 'http: requests spread and checked over HTTP; tcp: connections, checked by connecting',
      }),
      dns: hint(DnsDiscovery, {
        label: 'DNS name and record type',
        help: 'Where the servers are listed: A/AAAA (addresses) or SRV (addresses and ports)',
      }),
      slots: hint(IntRange(1, 1000).default(10), {
        label: 'Slots',
        help: 'The most servers the pool may grow to; answers beyond it are left out (and said)',
        unit: 'servers',
      }),
      serverPort: hint(Port.default(8080), {
        label: 'Server port',
        help: 'For A/AAAA records (SRV records carry their own ports)',
      }),
      healthPath,
    })
    .strict(),
  example: {
    name: 'web-farm',
    port: 80,
    dns: { name: '_http._tcp.web.service.example.org', type: 'SRV' },
    slots: 10,
    healthPath: '/health',
  },
  build: (p) => [
    {
      name: p.name,
      mode: p.mode,
      binds: [bindOn(p, p.port)],
      ...(p.mode === 'http' ? { forwardFor: true } : {}),
      defaultBackend: 'pool',
      backends: [
        {
          name: 'pool',
          serverTemplate: { prefix: 'srv', count: p.slots, port: p.serverPort, dns: p.dns },
          healthCheck: p.mode === 'http' ? { type: 'http', path: p.healthPath } : { type: 'tcp' },
        },
      ],
    },
  ],
});
