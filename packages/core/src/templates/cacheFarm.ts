import { z } from 'zod';
import { HeaderName, Token } from '../grammar/names.js';
import { hint } from '../model/hints.js';
import { bindOn, endpoints, listenOn, toServers } from './params.js';
import { defineTemplate } from './serviceTemplate.js';

export const cacheFarm = defineTemplate({
  name: 'cache-farm',
  title: 'Cache farm (consistent hashing)',
  summary: 'Send each URL to the same cache server so the farm stores every object once.',
  recipe: 'seed 002: Varnish servers aggregated "JBOD" style with hash-type consistent',
  params: z
    .object({
      ...listenOn(80),
      caches: endpoints('Cache servers'),
      hashOn: hint(z.enum(['path', 'whole-url', 'query-param', 'header']).default('path'), {
        label: 'Hash on',
        help: 'path: URL path only; whole-url: with the query string; or one parameter / header',
      }),
      param: hint(Token.optional(), { label: 'Query parameter', placeholder: 'id' }),
      header: hint(HeaderName.optional(), { label: 'Header', placeholder: 'Host' }),
    })
    .strict()
    .superRefine((p, ctx) => {
      if (p.hashOn === 'query-param' && !p.param)
        ctx.addIssue({
          code: 'custom',
          path: ['param'],
          message: 'is required to hash on a query parameter',
        });
      if (p.hashOn === 'header' && !p.header)
        ctx.addIssue({
          code: 'custom',
          path: ['header'],
          message: 'is required to hash on a header',
        });
    }),
  example: {
    name: 'static-cache',
    caches: [
      { address: '198.18.0.51', port: 6081 },
      { address: '198.18.0.52', port: 6081 },
      { address: '198.18.0.53', port: 6081 },
    ],
    hashOn: 'whole-url',
  },
  build: (p) => {
    const balance =
      p.hashOn === 'path'
        ? { algorithm: 'uri' as const }
        : p.hashOn === 'whole-url'
          ? { algorithm: 'uri' as const, whole: true }
          : p.hashOn === 'query-param'
            ? { algorithm: 'url_param' as const, param: p.param ?? '' }
            : { algorithm: 'hdr' as const, header: p.header ?? '' };
    return [
      {
        name: p.name,
        mode: 'http',
        binds: [bindOn(p, p.port)],
        forwardFor: true,
        defaultBackend: 'caches',
        backends: [
          {
            name: 'caches',
            balance,
            // Consistent hashing: losing one cache moves only its share of URLs, not all of them.
            hashType: 'consistent',
            servers: toServers(p.caches, 'cache'),
            healthCheck: { type: 'http', method: 'HEAD', path: '/' },
          },
        ],
      },
    ];
  },
});
