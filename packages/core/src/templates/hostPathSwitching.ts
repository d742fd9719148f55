import { z } from 'zod';
import { Name } from '../grammar/names.js';
import { PathFragment } from '../grammar/text.js';
import { hint } from '../model/hints.js';
import { HostMapEntry } from '../model/rule.js';
import { bindOn, endpoints, listenOn, toServers } from './params.js';
import { defineTemplate } from './serviceTemplate.js';

export const hostPathSwitching = defineTemplate({
  name: 'host-path-switching',
  title: 'Host and path content switching',
  summary:
    'Route many host names to their backends with one map lookup, and paths to special pools.',
  recipe: 'seed 002: hundreds of Host headers to tens of backends via a map; static/dynamic split',
  params: z
    .object({
      ...listenOn(80),
      backends: hint(
        z
          .array(z.object({ name: Name, servers: endpoints('Servers') }).strict())
          .min(1)
          .max(64),
        { label: 'Backends' },
      ),
      hosts: hint(z.array(HostMapEntry).min(1).max(10000), { label: 'Host → backend map' }),
      matchSubdomains: hint(z.boolean().default(false), {
        label: 'Include subdomains',
        help: 'example.com also routes www.example.com',
      }),
      pathRoutes: hint(
        z
          .array(z.object({ prefix: PathFragment, backend: Name }).strict())
          .max(64)
          .default([]),
        { label: 'Path prefix routes', help: 'Checked before the host map' },
      ),
      staticExtensions: hint(z.array(PathFragment).max(32).default([]), {
        label: 'Static file extensions',
        help: 'Requests ending with these go to the static backend',
      }),
      staticBackend: hint(Name.optional(), { label: 'Static backend' }),
      defaultBackend: hint(Name, { label: 'Default backend', help: 'For hosts not in the map' }),
    })
    .strict(),
  example: {
    name: 'apps',
    backends: [
      { name: 'app1', servers: [{ address: '198.18.0.41', port: 8080 }] },
      { name: 'app2', servers: [{ address: '198.18.0.42', port: 8080 }] },
      { name: 'static', servers: [{ address: '198.18.0.43', port: 6081 }] },
      { name: 'default', servers: [{ address: '198.18.0.44', port: 8080 }] },
    ],
    hosts: [
      { host: 'app1.example.com', backend: 'app1' },
      { host: 'app2.example.com', backend: 'app2' },
    ],
    pathRoutes: [{ prefix: '/assets/', backend: 'static' }],
    staticExtensions: ['.jpg', '.png', '.css', '.js'],
    staticBackend: 'static',
    defaultBackend: 'default',
  },
  build: (p) => [
    {
      name: p.name,
      mode: 'http',
      binds: [bindOn(p, p.port)],
      forwardFor: true,
      rules: [
        ...p.pathRoutes.map((r) => ({
          conditions: [{ type: 'path' as const, match: 'prefix' as const, values: [r.prefix] }],
          backend: r.backend,
        })),
        ...(p.staticBackend !== undefined && p.staticExtensions.length > 0
          ? [
              {
                name: 'static',
                conditions: [
                  {
                    type: 'path' as const,
                    match: 'suffix' as const,
                    values: p.staticExtensions,
                    ignoreCase: true,
                  },
                ],
                backend: p.staticBackend,
              },
            ]
          : []),
      ],
      hostMap: { match: p.matchSubdomains ? 'domain' : 'exact', entries: p.hosts },
      defaultBackend: p.defaultBackend,
      backends: p.backends.map((b) => ({
        name: b.name,
        servers: toServers(b.servers, 'srv'),
        healthCheck: { type: 'tcp' as const },
      })),
    },
  ],
});
