import type { SshKeys } from '../services/sshKeys.js';
import type { SystemInfoService } from '../services/systemInfo.js';
import type { Route } from './router.js';

/** System information for the console's settings page, and the unit's SSH login keys. */
export function createSystemRoutes(d: { system: SystemInfoService; sshKeys: SshKeys }): Route[] {
  return [
    {
      method: 'GET',
      path: '/v1/system',
      summary: 'Versions, uptime, load, memory and the state disk of this unit',
      handler: () => d.system.read(),
    },
    {
      method: 'GET',
      path: '/v1/system/ssh-keys',
      summary: 'The public keys that may log in over SSH (type, comment, SHA256 fingerprint)',
      handler: () => d.sshKeys.list(),
    },
    {
      method: 'POST',
      path: '/v1/system/ssh-keys',
      summary:
        'Let a public key log in over SSH: {key} as in a .pub file, no options (admin in sudo mode)',
      handler: ({ body }) => d.sshKeys.add(body),
    },
    {
      method: 'DELETE',
      path: '/v1/system/ssh-keys/:fingerprint',
      summary: 'Take a key away by its SHA256 fingerprint (admin in sudo mode)',
      handler: ({ params }) => d.sshKeys.remove(params.fingerprint ?? ''),
    },
  ];
}
