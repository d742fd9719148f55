import { statfsSync } from 'node:fs';
import { freemem, loadavg, release, totalmem, uptime } from 'node:os';
import type { SystemInfo } from '@tandem/core';
import type { Route } from './router.js';
import type { RouteDeps } from './routes.js';

/** System information for the console's settings page: versions, uptime, memory, disk. */
export function createSystemRoutes(
  d: Pick<RouteDeps, 'metrics' | 'stateDir' | 'unitName' | 'master' | 'versions'>,
): Route[] {
  return [
    {
      method: 'GET',
      path: '/v1/system',
      summary: 'Versions, uptime, load, memory and the state disk of this unit',
      handler: async (): Promise<SystemInfo> => {
        const m = d.metrics();
        const fs = statfsSync(d.stateDir);
        const haproxy = await d.master.showProc().then(
          (p) => p.version,
          () => null,
        );
        return {
          unit: d.unitName,
          versions: { ...d.versions, node: process.versions.node, haproxy },
          kernel: release(),
          systemUptimeSeconds: Math.round(uptime()),
          agentUptimeSeconds: Math.round(m.uptimeSeconds),
          load: loadavg(),
          memory: {
            totalBytes: totalmem(),
            freeBytes: freemem(),
            agentRssBytes: process.memoryUsage().rss,
          },
          disk: {
            path: d.stateDir,
            totalBytes: fs.blocks * fs.bsize,
            freeBytes: fs.bavail * fs.bsize,
          },
          databases: { configBytes: m.configBytes, telemetryBytes: m.telemetryBytes },
        };
      },
    },
  ];
}
