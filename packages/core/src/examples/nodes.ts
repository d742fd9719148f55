import type { NodeSettingsInput } from '../model/node.js';

/**
 * A unit's files all live under one state root: sockets in `run/`, host maps in `maps/`,
 * certificates in `certs/`. The lab and the dev unit use a directory under the repo; the goldens
 * use GOLDEN_ROOT so the files in the repository read like a real unit's haproxy.cfg, and the
 * golden test can check them with `haproxy -c` by rooting the same render in a temp dir.
 */
export const GOLDEN_ROOT = '/var/lib/tandem';

export function nodeUnder(root: string, unitName = 'tandem-a'): NodeSettingsInput {
  const r = root.replace(/\/$/, '');
  return {
    unitName,
    paths: {
      statsSocket: `${r}/run/haproxy.sock`,
      serverState: `${r}/server-state`,
      mapDir: `${r}/maps`,
      certDir: `${r}/certs`,
    },
    logTarget: { kind: 'unix', path: `${r}/run/haproxy-log.sock` },
  };
}
