import { z } from 'zod';
import { HeaderName } from '../grammar/names.js';
import { PrintableText } from '../grammar/text.js';
import { hint } from '../model/hints.js';
import { Endpoint, endpoints, healthPath, port, serviceName, toServers } from './params.js';
import { defineTemplate } from './serviceTemplate.js';

export const outboundSidecar = defineTemplate({
  name: 'outbound-sidecar',
  title: 'Outbound header-injecting sidecar',
  summary:
    'A local proxy on 127.0.0.1 for an application that cannot add a header itself: adds the header, ' +
    'health-checks the target and fails over to a second system.',
  recipe: 'seed 000: Kannel calls localhost; HAProxy adds x-imps-instance and forwards',
  params: z
    .object({
      name: serviceName,
      port: port(9009, 'Local port'),
      target: hint(Endpoint, { label: 'Target' }),
      fallbacks: hint(endpoints('Fallback targets').optional(), { label: 'Fallback targets' }),
      headers: hint(
        z
          .array(z.object({ name: HeaderName, value: PrintableText(1, 1024) }).strict())
          .min(1)
          .max(16),
        { label: 'Headers to add' },
      ),
      healthPath,
    })
    .strict(),
  example: {
    name: 'smsproxy',
    port: 9009,
    target: { address: '198.18.0.91', port: 9009 },
    fallbacks: [{ address: '198.18.0.92', port: 9009 }],
    headers: [{ name: 'x-imps-instance', value: 'server' }],
  },
  build: (p) => [
    {
      name: p.name,
      mode: 'http',
      // Loopback only: a sidecar serves the applications on this machine and nobody else.
      binds: [{ address: '127.0.0.1', port: p.port }],
      headers: p.headers.map((h) => ({
        phase: 'request' as const,
        action: 'set' as const,
        name: h.name,
        value: h.value,
      })),
      defaultBackend: 'target',
      backends: [
        {
          name: 'target',
          servers: [
            ...toServers([p.target], 'primary'),
            ...toServers(p.fallbacks ?? [], 'fallback', { backup: true }),
          ],
          healthCheck: { type: 'http', path: p.healthPath },
        },
      ],
    },
  ],
});
