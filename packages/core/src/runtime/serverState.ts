import type { ApplianceConfig } from '../model/applianceConfig.js';
import { isIpServerAddress } from '../grammar/network.js';
import { backendName } from '../model/proxyNames.js';

/**
 * A server-state file with no servers: HAProxy warns about a missing or empty file (which the
 * zero-warning check refuses), but accepts the version line alone.
 */
export const EMPTY_SERVER_STATE = '1\n';

export interface ServerStateRow {
  backend: string;
  server: string;
  address: string;
  port: number;
  /** srv_op_state: 0 stopped (DOWN), 1 starting, 2 running (UP), 3 stopping. */
  opState: number;
  /** Bit field: 0x01 forced maintenance, 0x08 forced drain (see HAProxy's srv_admin_state). */
  adminState: number;
  userWeight: number;
}

/**
 * `show servers state` format 1 (also the server-state file HAProxy loads): a version line, a
 * header naming the columns, then one space-separated line per server.
 */
export function parseServersState(text: string): ServerStateRow[] {
  const lines = text.split('\n');
  const header = lines.find((l) => l.startsWith('# be_id'));
  if (!header) return [];
  const cols = header.slice(2).split(' ');
  const at = (name: string) => cols.indexOf(name);
  const rows: ServerStateRow[] = [];
  for (const line of lines) {
    if (line.trim() === '' || line.startsWith('#') || /^\d+$/.test(line.trim())) continue;
    const f = line.split(' ');
    rows.push({
      backend: f[at('be_name')] ?? '',
      server: f[at('srv_name')] ?? '',
      address: f[at('srv_addr')] ?? '',
      port: Number(f[at('srv_port')]),
      opState: Number(f[at('srv_op_state')]),
      adminState: Number(f[at('srv_admin_state')]),
      userWeight: Number(f[at('srv_uweight')]),
    });
  }
  return rows;
}

/**
 * The part of a saved server state that may be carried into a configuration. HAProxy applies a
 * saved address and port over the configuration's, so a row whose server now has another address
 * or port in the model is dropped: the model says where a server is (live address changes are
 * committed to it too), and the health of an old address says nothing about the new one. Rows of
 * servers the model does not list (runtime slots filled live, seed 003) are kept as they are.
 */
export function carriedServerState(text: string, config: ApplianceConfig): string {
  const configured = new Map<string, { address: string; port: number }>();
  for (const svc of config.services)
    for (const be of svc.backends)
      for (const s of be.servers) configured.set(`${backendName(svc.name, be.name)}/${s.name}`, s);
  const lines = text.split('\n');
  const rows = parseServersState(text);
  let row = 0;
  const kept = lines.filter((line) => {
    if (line.trim() === '' || line.startsWith('#') || /^\d+$/.test(line.trim())) return true;
    const r = rows[row++];
    const c = r ? configured.get(`${r.backend}/${r.server}`) : undefined;
    if (!r || !c) return true;
    return c.port === r.port && (!isIpServerAddress(c.address) || c.address === r.address);
  });
  return kept.join('\n');
}

/**
 * The checked servers of a configuration that HAProxy cannot carry state to from the saved file
 * (new or renamed): they start as HAProxy's checks decide, and the apply answer names them.
 * Servers without a check have no health to carry and are never "fresh".
 */
export function serversStartingFresh(
  config: ApplianceConfig,
  saved: readonly ServerStateRow[],
): string[] {
  const known = new Set(saved.map((r) => `${r.backend}/${r.server}`));
  const fresh: string[] = [];
  for (const svc of config.services) {
    if (!svc.enabled) continue;
    for (const be of svc.backends) {
      if (!be.healthCheck) continue;
      for (const s of be.servers) {
        const key = `${backendName(svc.name, be.name)}/${s.name}`;
        if (s.check && !known.has(key)) fresh.push(key);
      }
    }
  }
  return fresh;
}
