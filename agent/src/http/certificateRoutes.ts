import type { ConsoleCertificate } from '../services/consoleCertificate.js';
import type { Route } from './router.js';

/** The console's HTTPS certificate: what it is, and uploading a replacement (admin; audited). */
export function createCertificateRoutes(cert: ConsoleCertificate): Route[] {
  return [
    {
      method: 'GET',
      path: '/v1/console/certificate',
      summary: "The console's certificate: subject, issuer, names, expiry, self-signed or not",
      handler: () => cert.info(),
    },
    {
      method: 'POST',
      path: '/v1/console/certificate',
      summary:
        'Replace it with {certificate, key} (PEM): must parse, match and not be expired; the console reloads it',
      handler: ({ body }) => cert.install(body),
    },
  ];
}
