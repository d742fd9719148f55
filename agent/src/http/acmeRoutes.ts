import type { Acme } from '../services/acme.js';
import type { Route } from './router.js';

/** ACME (issue 18): the CA settings, certificates issued and kept renewed. */
export function createAcmeRoutes(acme: Acme): Route[] {
  return [
    {
      method: 'GET',
      path: '/v1/acme',
      summary: 'ACME settings and the certificates kept renewed, with their last attempt',
      handler: () => acme.status(),
    },
    {
      method: 'PUT',
      path: '/v1/acme',
      summary: "Set the CA's directory URL, a contact email, and agree to its terms",
      handler: ({ body }) => acme.setSettings(body),
    },
    {
      method: 'POST',
      path: '/v1/acme/certificates',
      summary:
        'Issue {name, domains} now (HTTP-01, answered by HAProxy on port 80) and keep it renewed',
      handler: ({ body }) => acme.add(body),
    },
    {
      method: 'POST',
      path: '/v1/acme/certificates/:name/renew',
      summary: 'Renew one now',
      handler: ({ params }) => acme.renew(params.name ?? ''),
    },
    {
      method: 'DELETE',
      path: '/v1/acme/certificates/:name',
      summary: 'Stop renewing one (the certificate stays in the store)',
      handler: async ({ params }) => {
        await acme.remove(params.name ?? '');
        return { ok: true };
      },
    },
  ];
}
