import type { CertificateStore } from '../services/certificateStore.js';
import type { Route } from './router.js';

/** The certificate store (issue 18): list, upload or replace (live when in use), remove. */
export function createStoredCertificateRoutes(store: CertificateStore): Route[] {
  return [
    {
      method: 'GET',
      path: '/v1/certificates',
      summary:
        'Stored certificates: subject, names, issuer, expiry, fingerprint, the services using each',
      handler: () => store.list(),
    },
    {
      method: 'GET',
      path: '/v1/certificates/:name',
      summary: 'One stored certificate (never its key)',
      handler: ({ params }) => store.get(params.name ?? ''),
    },
    {
      method: 'POST',
      path: '/v1/certificates',
      summary:
        'Store {name, pem[, key]} or {name, pkcs12 (base64), password}; replace: true to take over a name (live in HAProxy when in use)',
      handler: ({ body }) => store.put(body),
    },
    {
      method: 'DELETE',
      path: '/v1/certificates/:name',
      summary: 'Remove a certificate no service uses',
      handler: async ({ params }) => {
        await store.remove(params.name ?? '');
        return { ok: true };
      },
    },
  ];
}
