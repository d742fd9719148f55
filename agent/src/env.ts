import { CRASH_POINTS, type CrashPoint } from './crashPoint.js';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { parseTiers, type SeriesTier } from '@tandem/core';
import { z } from 'zod';

/** The agent's environment, read and validated once; nothing else reads process.env. */
const Env = z.object({
  TANDEM_STATE_DIR: z.string().min(1).optional(),
  TANDEM_SOCKET: z.string().min(1).optional(),
  /** The shell the console's terminal runs (a login shell, for admins in sudo mode). */
  TANDEM_TERMINAL_SHELL: z
    .string()
    .regex(/^\/[A-Za-z0-9_./-]+$/)
    .default('/bin/bash'),
  /** The console server's socket: every request on it needs a session (ADR 0011). */
  TANDEM_CONSOLE_SOCKET: z.string().min(1).optional(),
  /** The console server's group (name or gid): it may use the console socket and read the console certificate. */
  TANDEM_CONSOLE_GROUP: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,32}$/)
    .optional(),
  TANDEM_UNIT_NAME: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/)
    .optional(),
  TANDEM_HAPROXY_BIN: z.string().min(1).default('haproxy'),
  /** JSON argv that runs HAProxy, e.g. ["chroot","/srv/trixie","haproxy"]; overrides the binary. */
  TANDEM_HAPROXY_COMMAND: z.string().optional(),
  /** child: the agent runs HAProxy (dev, lab); external: systemd runs it (appliance). */
  TANDEM_HAPROXY_MODE: z.enum(['child', 'external']).default('child'),
  TANDEM_ADMIN_PORT: z.coerce.number().int().min(1).max(65535).default(8404),
  /** Loopback TCP port HAProxy's log ring is forwarded to (ADR 0008); 0 turns ingest off. */
  TANDEM_LOG_PORT: z.coerce.number().int().min(0).max(65535).default(5140),
  TANDEM_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  TANDEM_LOG_MAX_MB: z.coerce.number().int().min(16).max(1_000_000).default(512),
  /** Stats sampling interval in ms; 0 turns the sampler off. */
  TANDEM_STATS_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  /** Downsampling tiers, finest first, as step:keep pairs. */
  TANDEM_STATS_TIERS: z.string().default('1s:1h,10s:1d,1m:30d'),
  TANDEM_STATS_MAX_MB: z.coerce.number().int().min(8).max(1_000_000).default(256),
  TANDEM_EVENTS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** child: the agent runs keepalived (dev, lab); off: no VRRP on this unit. */
  TANDEM_KEEPALIVED: z.enum(['child', 'off']).default('off'),
  /** JSON argv that runs keepalived, e.g. ["chroot","/srv/trixie","keepalived"]. */
  TANDEM_KEEPALIVED_COMMAND: z.string().optional(),
  /** This unit's side of the cluster (ClusterNode JSON); default: cluster-node.json in the state dir. */
  TANDEM_CLUSTER_NODE: z.string().min(1).optional(),
  /** Process name keepalived tracks itself (initial network namespace only); empty: off. */
  TANDEM_TRACK_PROCESS: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{0,15}$/)
    .default(''),
  /** The peer listener's TLS port (pairing and sync, ADR 0015); 0: this unit cannot pair. */
  TANDEM_PEER_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** HAProxy's peers port between the pair (stick tables replicated); 0: not replicated. */
  TANDEM_HAPROXY_PEERS_PORT: z.coerce.number().int().min(0).max(65535).default(7480),
  /** How long a change that could cut the operator off waits for the console's confirmation. */
  TANDEM_CONFIRM_WINDOW_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
  /** The address the peer listener binds (default: every IPv4 address). */
  TANDEM_PEER_ADDRESS: z.string().min(1).default('0.0.0.0'),
  /** networkd: the agent sets the unit's own address (the appliance); off: the host does. */
  TANDEM_NETWORK: z.enum(['networkd', 'off']).default('off'),
  /** A login-banner file (the appliance: /run/issue.d/…) that shows the setup token at the unit. */
  TANDEM_SETUP_BANNER: z.string().min(1).optional(),
  /** HAProxy's filesystem root when it runs in a chroot (tests against Debian 13's HAProxy). */
  TANDEM_HAPROXY_ROOT: z.string().optional(),
  /** Tests only: the agent kills itself (SIGKILL) when an apply reaches this step. */
  TANDEM_CRASH_AT: z.enum(CRASH_POINTS).optional(),
});

export interface AgentEnv {
  stateDir: string;
  socketPath: string;
  consoleSocketPath: string;
  consoleGroup: string | null;
  terminalShell: string;
  unitName: string;
  haproxyBin: string;
  haproxyCommand: string[];
  haproxyMode: 'child' | 'external';
  adminPort: number;
  haproxyRoot: string;
  crashAt: CrashPoint | null;
  logPort: number;
  logRetentionMs: number;
  logMaxBytes: number;
  statsIntervalMs: number;
  statsTiers: SeriesTier[];
  statsMaxBytes: number;
  eventsRetentionMs: number;
  keepalived: 'child' | 'off';
  keepalivedCommand: string[];
  clusterNodeFile: string;
  trackProcess: string | null;
  peerPort: number;
  peerAddress: string;
  haproxyPeersPort: number;
  confirmWindowMs: number;
  setupBanner: string | null;
  network: 'networkd' | 'off';
}

function tiers(text: string): SeriesTier[] {
  try {
    return parseTiers(text);
  } catch (e) {
    throw new Error(`TANDEM_STATS_TIERS: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
}

export function readEnv(env: NodeJS.ProcessEnv, cwd: string): AgentEnv {
  const e = Env.parse(env);
  const stateDir = resolve(cwd, e.TANDEM_STATE_DIR ?? '.tandem/unit');
  const argv = (json: string | undefined, fallback: string[]) =>
    json ? z.array(z.string().min(1)).min(1).parse(JSON.parse(json)) : fallback;
  const command = argv(e.TANDEM_HAPROXY_COMMAND, [e.TANDEM_HAPROXY_BIN]);
  const host =
    hostname()
      .replace(/[^A-Za-z0-9_.:-]/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '') || 'tandem';
  return {
    stateDir,
    socketPath: resolve(cwd, e.TANDEM_SOCKET ?? `${stateDir}/agent.sock`),
    consoleSocketPath: resolve(cwd, e.TANDEM_CONSOLE_SOCKET ?? `${stateDir}/console.sock`),
    consoleGroup: e.TANDEM_CONSOLE_GROUP ?? null,
    terminalShell: e.TANDEM_TERMINAL_SHELL,
    unitName: e.TANDEM_UNIT_NAME ?? host.slice(0, 64),
    haproxyBin: e.TANDEM_HAPROXY_BIN,
    haproxyCommand: command,
    haproxyMode: e.TANDEM_HAPROXY_MODE,
    adminPort: e.TANDEM_ADMIN_PORT,
    haproxyRoot: e.TANDEM_HAPROXY_ROOT ? resolve(cwd, e.TANDEM_HAPROXY_ROOT) : '',
    crashAt: e.TANDEM_CRASH_AT ?? null,
    logPort: e.TANDEM_LOG_PORT,
    logRetentionMs: e.TANDEM_LOG_RETENTION_DAYS * 86_400_000,
    logMaxBytes: e.TANDEM_LOG_MAX_MB * 1024 * 1024,
    statsIntervalMs: e.TANDEM_STATS_INTERVAL_MS,
    statsTiers: tiers(e.TANDEM_STATS_TIERS),
    statsMaxBytes: e.TANDEM_STATS_MAX_MB * 1024 * 1024,
    eventsRetentionMs: e.TANDEM_EVENTS_RETENTION_DAYS * 86_400_000,
    keepalived: e.TANDEM_KEEPALIVED,
    keepalivedCommand: argv(e.TANDEM_KEEPALIVED_COMMAND, ['keepalived']),
    clusterNodeFile: resolve(cwd, e.TANDEM_CLUSTER_NODE ?? `${stateDir}/cluster-node.json`),
    setupBanner: e.TANDEM_SETUP_BANNER ?? null,
    network: e.TANDEM_NETWORK,
    trackProcess: e.TANDEM_TRACK_PROCESS === '' ? null : e.TANDEM_TRACK_PROCESS,
    peerPort: e.TANDEM_PEER_PORT,
    peerAddress: e.TANDEM_PEER_ADDRESS,
    haproxyPeersPort: e.TANDEM_HAPROXY_PEERS_PORT,
    confirmWindowMs: e.TANDEM_CONFIRM_WINDOW_MS,
  };
}
