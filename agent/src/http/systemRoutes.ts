import type { NetworkSettingsService } from '../services/networkSettings.js';
import type { SshKeys } from '../services/sshKeys.js';
import type { SystemInfoService } from '../services/systemInfo.js';
import type { Route } from './router.js';

/** System information for the console's settings page, the unit's SSH login keys and address. */
export function createSystemRoutes(d: {
  system: SystemInfoService;
  sshKeys: SshKeys;
  network: NetworkSettingsService;
}): Route[] {
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
    {
      method: 'GET',
      path: '/v1/system/network',
      summary:
        "The unit's address: DHCP or static, the interface, its addresses now, a pending change",
      handler: () => d.network.view(),
    },
    {
      method: 'PUT',
      path: '/v1/system/network',
      summary:
        'Set {mode: dhcp} or {mode: static, address, gateway?, dns?}; from the console it is undone unless confirmed in time',
      handler: ({ body, session }) => d.network.set(body, { remote: session !== null }),
    },
    {
      method: 'POST',
      path: '/v1/system/network/confirm',
      summary:
        'Confirm the address change: the console still reaches the unit (otherwise it is undone)',
      handler: ({ author }) => d.network.confirm(author),
    },
  ];
}
