import { join } from 'node:path';
import { PEER_PORT } from '@tandem/core';
import { ADDR, LAB_DIST, ns, unitDir, type LabOptions, type UnitId } from './labSpec.js';
import { inNs } from './netns.js';
import { run } from './run.js';

export interface ProbeAnswer {
  status?: number;
  body?: unknown;
  fingerprint?: string;
  error?: string;
  code?: string;
}

/**
 * A request to a unit's peer port from inside the lab, with a unit's own identity (`as: 'a'`)
 * or a stranger's (`as: a directory`), pinned or not: what a peer, a tamperer or an impostor
 * can send (the HA suite's bad paths).
 */
export async function peerRequest(
  o: LabOptions,
  r: {
    from: UnitId;
    as: UnitId | { dir: string };
    to: UnitId;
    pin: string | null;
    method: 'GET' | 'POST';
    path: string;
    body?: unknown;
  },
): Promise<ProbeAnswer> {
  const dir = typeof r.as === 'string' ? join(unitDir(o, r.as), 'identity') : r.as.dir;
  const out = await run(
    inNs(ns(o, r.from), [
      'node',
      join(LAB_DIST, 'peerProbe.js'),
      dir,
      ADDR[r.to],
      String(PEER_PORT),
      r.pin ?? '-',
      r.method,
      r.path,
      ...(r.body === undefined ? [] : [JSON.stringify(r.body)]),
    ]),
  );
  return JSON.parse(out.stdout) as ProbeAnswer;
}
