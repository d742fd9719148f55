import {
  AddServersRequest,
  RemoveServerRequest,
  RollbackRequest,
  ServerChangeRequest,
  TandemError,
} from '@tandem/core';
import type { ApplyService } from '../services/apply.js';
import type { GenerationService } from '../services/generations.js';
import type { RuntimeChangeService } from '../services/runtimeChanges.js';
import type { ServiceEdits } from '../services/serviceEdits.js';
import type { LogQueries } from '../services/logQueries.js';
import type { LogIngest } from '../services/logIngest.js';
import { intParam, parse } from './routeParsing.js';
import { createLogRoutes } from './logRoutes.js';
import { createServiceRoutes } from './serviceRoutes.js';
import { createMetricsRoute } from './metricsRoute.js';
import { createStatsRoutes } from './statsRoutes.js';
import { createClusterRoutes } from './clusterRoutes.js';
import { createSystemRoutes } from './systemRoutes.js';
import type { SystemInfoService } from '../services/systemInfo.js';
import type { SshKeys } from '../services/sshKeys.js';
import type { NetworkSettingsService } from '../services/networkSettings.js';
import { createBackupRoutes } from './backupRoutes.js';
import type { VrrpService } from '../services/vrrp.js';
import type { Peering } from '../services/peering.js';
import type { NodeSettings } from '../services/nodeSettings.js';
import type { ConfirmedChanges } from '../services/confirmedChanges.js';
import type { StatsSampler } from '../services/statsSampler.js';
import type { StatsQueries } from '../services/statsQueries.js';
import type { EventQueries } from '../services/eventQueries.js';
import type { Route } from './router.js';
import type { UnitStatus } from '../services/unitStatus.js';
import type { CertificateStore } from '../services/certificateStore.js';
import { createStoredCertificateRoutes } from './storedCertificateRoutes.js';
import type { Acme } from '../services/acme.js';
import { createAcmeRoutes } from './acmeRoutes.js';
import type { Notifications } from '../services/notifications.js';
import { createNotificationRoutes } from './notificationRoutes.js';
import type { Discovery } from '../services/discovery.js';

export interface RouteDeps {
  unitName: string;
  /** The unit's status, composed by its service (routes reach services, not stores). */
  status: UnitStatus;
  generations: GenerationService;
  edits: ServiceEdits;
  apply: ApplyService;
  runtimeChanges: RuntimeChangeService;
  openapi: () => unknown;
  logs: LogQueries;
  stats: StatsQueries;
  events: EventQueries;
  /** For /metrics: the ingest's and the sampler's counters (null: not running on this unit). */
  ingest: LogIngest | null;
  sampler: StatsSampler | null;
  /** Null when this unit runs no keepalived (TANDEM_KEEPALIVED=off or no cluster-node file). */
  vrrp: VrrpService | null;
  /** Changes that could cut the operator off: confirmed from the console, or rolled back. */
  confirmed: ConfirmedChanges;
  /** This unit's own cluster settings; null when it runs no keepalived. */
  nodeSettings: NodeSettings | null;
  /** Identity, pairing and sync; null when the peer listener is off (TANDEM_PEER_PORT=0). */
  peering: Peering | null;
  metrics: () => AgentMetrics;
  /** System information for the Settings page (versions, host, agent). */
  system: SystemInfoService;
  sshKeys: SshKeys;
  network: NetworkSettingsService;
  certificates: CertificateStore;
  acme: Acme;
  notifications: Notifications;
  discovery: Discovery;
}

/** What /metrics reports beyond the ingest and sampler counters. */
export interface AgentMetrics {
  uptimeSeconds: number;
  running: number;
  latest: number;
  applies: { ok: number; failed: number };
  telemetryBytes: number;
  configBytes: number;
  /** Heap bytes of each worker thread (a V8 isolate of its own), 0 while it is not running. */
  threadHeaps: Record<string, number>;
}

function serverRef(params: Record<string, string>, query: URLSearchParams): string {
  const backend = query.get('backend');
  return [params.service ?? '', ...(backend ? [backend] : []), params.server ?? ''].join('/');
}

export function createRoutes(d: RouteDeps): Route[] {
  const latestOrThrow = () => {
    const g = d.generations.latest();
    if (!g) throw new TandemError('not_found', 'the unit has no configuration yet');
    return g;
  };

  return [
    {
      method: 'GET',
      path: '/v1/status',
      summary: 'Unit status: desired and running generation, HAProxy, drift',
      handler: () => d.status.read(),
    },
    {
      method: 'GET',
      path: '/v1/config',
      summary: 'The desired configuration (latest generation)',
      handler: () => {
        const g = latestOrThrow();
        return { generation: g.summary.number, config: g.config };
      },
    },
    {
      method: 'GET',
      path: '/v1/config/haproxy.cfg',
      summary: 'The rendered haproxy.cfg of a generation (default: the latest)',
      text: true,
      handler: ({ query }) => {
        const g = query.has('generation')
          ? d.generations.get(intParam(query.get('generation'), 'generation'))
          : latestOrThrow();
        return d.apply.render(g).config;
      },
    },
    {
      method: 'POST',
      path: '/v1/apply',
      summary:
        'Apply the latest generation (serialised, coalesced); from the console, a change that could cut the operator off waits for a confirmation',
      handler: async ({ session }) => {
        const r = await d.confirmed.apply({ remote: session !== null });
        // What now runs (the apply made it so), parsed once per generation already.
        const running = d.generations.runningConfig();
        const warnings = running ? await d.discovery.unresolved(running) : [];
        return warnings.length > 0 ? { ...r, warnings } : r;
      },
    },
    {
      method: 'POST',
      path: '/v1/apply/confirm',
      summary:
        'Confirm the last apply from the console: it still reaches this unit (otherwise it is rolled back)',
      handler: ({ author }) => d.confirmed.confirm('apply', author),
    },
    {
      method: 'GET',
      path: '/v1/generations',
      summary: 'History, newest first',
      handler: ({ query }) =>
        d.generations.history(
          query.has('limit') ? Math.min(1000, intParam(query.get('limit'), 'limit')) : 50,
          query.has('before') ? intParam(query.get('before'), 'before') : undefined,
        ),
    },
    {
      method: 'GET',
      path: '/v1/generations/:n',
      summary: 'One generation with its configuration',
      handler: ({ params }) => {
        const g = d.generations.get(intParam(params.n, 'n'));
        return { ...g.summary, config: g.config };
      },
    },
    {
      method: 'GET',
      path: '/v1/diff',
      summary: 'Differences between two generations: model JSON and rendered haproxy.cfg',
      handler: ({ query }) =>
        d.generations.diff(
          intParam(query.get('from'), 'from'),
          intParam(query.get('to'), 'to'),
          (g) => d.apply.render(g).config,
        ),
    },
    {
      method: 'POST',
      path: '/v1/rollback',
      summary: 'A new generation equal to an older one',
      handler: ({ body, author }) => {
        const r = parse(RollbackRequest, body);
        return {
          generation: d.generations.rollback({
            base: r.base,
            to: r.to,
            author,
            message: r.message,
          }),
        };
      },
    },
    {
      method: 'POST',
      path: '/v1/servers/:service/:server',
      summary: 'Change a server live (state, weight, address) without a reload',
      handler: ({ params, query, body, author }) => {
        const r = parse(ServerChangeRequest, body);
        const ref = serverRef(params, query);
        return d.runtimeChanges.changeServer(ref, r.change, {
          ...(r.base !== undefined ? { base: r.base } : {}),
          author,
          message: r.message,
        });
      },
    },
    {
      method: 'POST',
      path: '/v1/backends/:service/:backend/servers',
      summary: 'Add servers to a backend (live with dynamic servers when possible)',
      handler: ({ params, body, author }) => {
        const r = parse(AddServersRequest, body);
        return d.runtimeChanges.addServers(params.service ?? '', params.backend ?? '', r.servers, {
          ...(r.base !== undefined ? { base: r.base } : {}),
          author,
          message: r.message,
        });
      },
    },
    {
      method: 'POST',
      path: '/v1/servers/:service/:server/remove',
      summary: 'Remove a server (live: maintenance, sessions shut, deleted)',
      handler: ({ params, query, body, author }) => {
        const r = parse(RemoveServerRequest, body);
        const ref = serverRef(params, query);
        return d.runtimeChanges.removeServer(ref, {
          ...(r.base !== undefined ? { base: r.base } : {}),
          author,
          message: r.message,
        });
      },
    },
    ...createServiceRoutes(d),
    ...createLogRoutes(d),
    ...createStatsRoutes(d),
    ...createClusterRoutes(d),
    ...createSystemRoutes(d),
    ...createBackupRoutes(d),
    ...createStoredCertificateRoutes(d.certificates),
    ...createAcmeRoutes(d.acme),
    ...createNotificationRoutes(d.notifications),
    {
      method: 'GET',
      path: '/v1/discovery',
      summary:
        'Backends whose servers follow DNS: the slots HAProxy filled (address, port, weight, health, since when) and what the name last answered',
      handler: () => d.discovery.status(),
    },
    createMetricsRoute(d),
    {
      method: 'GET',
      path: '/openapi.json',
      summary: 'This API as OpenAPI 3.1',
      handler: () => d.openapi(),
    },
  ];
}
