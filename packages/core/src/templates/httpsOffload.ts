import { z } from 'zod';
import { Name } from '../grammar/names.js';
import { hint } from '../model/hints.js';
import { IntRange } from '../grammar/text.js';
import { bindOn, endpoints, healthPath, listenParams, port, toServers } from './params.js';
import { defineTemplate } from './serviceTemplate.js';

export const httpsOffload = defineTemplate({
  name: 'https-offload',
  title: 'HTTPS offload',
  summary:
    'Terminate TLS on the appliance, redirect plain HTTP to HTTPS, talk HTTP to the servers.',
  params: z
    .object({
      ...listenParams(),
      httpsPort: port(443, 'HTTPS port'),
      httpPort: port(80, 'HTTP port (redirects)'),
      certificate: hint(Name, {
        label: 'Certificate',
        help: 'One of the unit’s stored certificates (Settings → Certificates)',
        choices: 'certificates',
      }),
      servers: endpoints('Web servers'),
      healthPath,
      hstsMaxAgeDays: hint(IntRange(0, 730).default(0), {
        label: 'HSTS max-age (days)',
        help: '0 sends no Strict-Transport-Security header',
      }),
    })
    .strict(),
  example: {
    name: 'shop',
    certificate: 'shop-example',
    servers: [
      { address: '198.18.0.21', port: 8080 },
      { address: '198.18.0.22', port: 8080 },
    ],
    hstsMaxAgeDays: 365,
  },
  build: (p) => [
    {
      name: p.name,
      mode: 'http',
      binds: [bindOn(p, p.httpsPort, true), bindOn(p, p.httpPort)],
      tls: { certificate: p.certificate },
      redirectToHttps: true,
      forwardFor: true,
      headers: [
        { phase: 'request', action: 'set', name: 'X-Forwarded-Proto', value: 'https' },
        ...(p.hstsMaxAgeDays > 0
          ? [
              {
                phase: 'response' as const,
                action: 'set' as const,
                name: 'Strict-Transport-Security',
                value: `max-age=${p.hstsMaxAgeDays * 86_400}`,
              },
            ]
          : []),
      ],
      defaultBackend: 'app',
      backends: [
        {
          name: 'app',
          servers: toServers(p.servers, 'web'),
          healthCheck: { type: 'http', path: p.healthPath },
        },
      ],
    },
  ],
});
