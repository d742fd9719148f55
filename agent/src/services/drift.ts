import {
  backendName,
  isIpServerAddress,
  type ApplianceConfig,
  type ServerStateRow,
} from '@tandem/core';

export interface Drift {
  server: string;
  field: 'state' | 'weight' | 'address' | 'port' | 'missing';
  running: string;
  live: string;
}

// srv_admin_state bits (HAProxy server.h): forced, inherited or config maintenance; forced drain.
const MAINT = 0x01 | 0x02 | 0x04;
const DRAIN = 0x08 | 0x10;

/**
 * Differences between the running generation and what HAProxy's Runtime API reports, such as a
 * server put in maintenance by hand on the socket. Runtime slots (server-template) are not in
 * the model and are not compared.
 */
export function findDrift(config: ApplianceConfig, live: readonly ServerStateRow[]): Drift[] {
  const byKey = new Map(live.map((r) => [`${r.backend}/${r.server}`, r]));
  const out: Drift[] = [];
  for (const svc of config.services) {
    if (!svc.enabled) continue;
    for (const be of svc.backends) {
      for (const s of be.servers) {
        const key = `${backendName(svc.name, be.name)}/${s.name}`;
        const row = byKey.get(key);
        if (!row) {
          out.push({ server: key, field: 'missing', running: 'present', live: 'absent' });
          continue;
        }
        const liveState =
          row.adminState & MAINT
            ? 'maint'
            : row.adminState & DRAIN || row.userWeight === 0
              ? 'drain'
              : 'ready';
        const expectedState = s.state === 'ready' && s.weight === 0 ? 'drain' : s.state;
        if (liveState !== expectedState)
          out.push({ server: key, field: 'state', running: expectedState, live: liveState });
        if (liveState === 'ready' && expectedState === 'ready' && row.userWeight !== s.weight) {
          out.push({
            server: key,
            field: 'weight',
            running: String(s.weight),
            live: String(row.userWeight),
          });
        }
        if (isIpServerAddress(s.address) && row.address !== s.address)
          out.push({ server: key, field: 'address', running: s.address, live: row.address });
        if (row.port !== s.port)
          out.push({ server: key, field: 'port', running: String(s.port), live: String(row.port) });
      }
    }
  }
  return out;
}
