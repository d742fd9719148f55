import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApplianceConfigInput } from '@tandem/core';

/**
 * The lab's fixed topology: one bridge (in its own namespace), two units, a client and two
 * backends, all in 198.18.0.0/24 (the benchmarking range). Every namespace name starts with the
 * lab's prefix, so several labs (a developer's and a test run's) can exist side by side.
 */
export const UNITS = ['a', 'b'] as const;
export type UnitId = (typeof UNITS)[number];

export const ADDR = {
  a: '198.18.0.11',
  b: '198.18.0.12',
  client: '198.18.0.50',
  be1: '198.18.0.21',
  be2: '198.18.0.22',
  vip: '198.18.0.100',
} as const;

export const BACKENDS = ['be1', 'be2'] as const;
export const BACKEND_PORT = 8080;
export const VIP_URL = `http://${ADDR.vip}/`;

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const AGENT_MAIN = join(REPO, 'agent/dist/main.js');
export const LAB_DIST = join(REPO, 'lab/dist');

export interface LabOptions {
  /** Namespace name prefix (≤ 6 characters): `tl` for the developer's lab. */
  prefix: string;
  /** Where the units keep their state (one directory per unit). */
  stateRoot: string;
  advertIntervalMs: number;
  preempt: boolean;
  /** false: two fresh units, unpaired, no configuration (what the console's pairing e2e starts from). */
  pair?: boolean;
  /** More environment for the agents (a test CA to trust: NODE_EXTRA_CA_CERTS). */
  agentEnv?: Record<string, string>;
}

export const defaultLab = (prefix = 'tl'): LabOptions => ({
  prefix,
  stateRoot: join(REPO, '.tandem/lab', prefix),
  advertIntervalMs: 100,
  preempt: false,
});

export const ns = (o: LabOptions, name: string) => `${o.prefix}-${name}`;
export const unitDir = (o: LabOptions, unit: UnitId) => join(o.stateRoot, unit);

/** The shared configuration both units run: one VIP, one HTTP service over the two backends. */
export function labConfig(o: LabOptions): ApplianceConfigInput {
  return {
    schemaVersion: 1,
    cluster: {
      instances: [
        {
          name: 'edge',
          vrid: 51,
          advertIntervalMs: o.advertIntervalMs,
          preempt: o.preempt,
          vips: [{ name: 'web', address: ADDR.vip, prefixLength: 24 }],
        },
      ],
    },
    services: [
      {
        name: 'web',
        mode: 'http',
        binds: [{ vip: 'web', port: 80 }],
        defaultBackend: 'app',
        backends: [
          {
            name: 'app',
            servers: BACKENDS.map((b) => ({ name: b, address: ADDR[b], port: BACKEND_PORT })),
          },
        ],
      },
    ],
  };
}
