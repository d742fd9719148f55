import type { Notifications } from '../services/notifications.js';
import type { Route } from './router.js';

/** Notifications (issue 18): webhooks for chosen events, and a test to each. */
export function createNotificationRoutes(n: Notifications): Route[] {
  return [
    {
      method: 'GET',
      path: '/v1/notifications',
      summary:
        'The webhooks, the mail server (no password) and email lists, and how deliveries have gone',
      handler: () => ({ settings: n.settings(), webhooks: n.status() }),
    },
    {
      method: 'PUT',
      path: '/v1/notifications',
      summary:
        '{webhooks: [{name, url, kinds, minSeverity}], smtp, emails: [{name, to, kinds, minSeverity}]}: which events go where',
      handler: ({ body }) => n.setSettings(body),
    },
    {
      method: 'POST',
      path: '/v1/notifications/:name/test',
      summary:
        'Send a test event to one webhook or email list now (no retries): delivered, or why not',
      handler: ({ params }) => n.test(params.name ?? ''),
    },
  ];
}
