import type { SystemInfo } from '@tandem/core';
import type { HaproxyMaster } from '../adapters/haproxyMaster.js';
import type { HostInfo } from '../adapters/hostInfo.js';

/**
 * The Settings page's system information: versions (HAProxy's from its running master, none when
 * it does not answer), the host's reading, and the agent's own uptime and database sizes.
 */
export function createSystemInfo(deps: {
  unitName: string;
  host: HostInfo;
  master: Pick<HaproxyMaster, 'showProc'>;
  versions: { tandem: string; keepalived: string | null };
  nodeVersion: string;
  agent: () => { uptimeSeconds: number; configBytes: number; telemetryBytes: number };
}) {
  return {
    async read(): Promise<SystemInfo> {
      const h = deps.host.read();
      const a = deps.agent();
      const haproxy = await deps.master.showProc().then(
        (p) => p.version,
        () => null,
      );
      return {
        unit: deps.unitName,
        versions: { ...deps.versions, node: deps.nodeVersion, haproxy },
        kernel: h.kernel,
        systemUptimeSeconds: Math.round(h.uptimeSeconds),
        agentUptimeSeconds: Math.round(a.uptimeSeconds),
        load: h.load,
        memory: h.memory,
        disk: h.disk,
        databases: { configBytes: a.configBytes, telemetryBytes: a.telemetryBytes },
      };
    },
  };
}
export type SystemInfoService = ReturnType<typeof createSystemInfo>;
