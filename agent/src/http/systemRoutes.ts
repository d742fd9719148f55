import type { SystemInfoService } from '../services/systemInfo.js';
import type { Route } from './router.js';

/** System information for the console's settings page: versions, uptime, memory, disk. */
export function createSystemRoutes(d: { system: SystemInfoService }): Route[] {
  return [
    {
      method: 'GET',
      path: '/v1/system',
      summary: 'Versions, uptime, load, memory and the state disk of this unit',
      handler: () => d.system.read(),
    },
  ];
}
