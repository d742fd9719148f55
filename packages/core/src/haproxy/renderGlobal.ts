import type { GlobalSettings } from '../model/global.js';
import type { NodeSettings } from '../model/node.js';
import { ADMIN_PROXY, ADMIN_USERLIST } from '../model/proxyNames.js';
import { formatDuration, formatEndpoint } from './format.js';
import { addTimeouts, DEFAULT_TIMEOUTS } from './renderTimeouts.js';
import { generationDescription } from './generationMarker.js';
import { DirectiveList, type Section } from './ir.js';

export function renderGlobal(
  g: GlobalSettings,
  node: NodeSettings,
  generation: number | undefined,
  /** hard-stop-after, from oldWorkerPolicy (it looks at the services' tunnel timeouts). */
  graceMs: number,
): Section {
  const d = new DirectiveList('global');
  // `show info` reports node and description: the agent reads them to verify that the worker
  // running after a reload is the generation it applied.
  d.add(null, 'node', node.unitName);
  // The pair's peers section names this unit under its own name (renderPeers.ts).
  if (node.pair) d.add(null, 'localpeer', node.pair.local.name);
  if (generation !== undefined) d.add(null, 'description', generationDescription(generation));
  d.add('global.maxconn', 'maxconn', g.maxconn)
    .addIf(g.nbthread !== undefined, 'global.nbthread', 'nbthread', g.nbthread ?? 0)
    .add('global.oldWorkerGraceMs', 'hard-stop-after', formatDuration(graceMs))
    .addIf(
      g.closeSpreadMs > 0,
      'global.closeSpreadMs',
      'close-spread-time',
      formatDuration(g.closeSpreadMs),
    )
    .add('global.mworkerMaxReloads', 'mworker-max-reloads', g.mworkerMaxReloads)
    // Health, operator states, weights and addresses carried across reloads: the agent saves
    // `show servers state` here just before each reload (seed 003).
    .add(null, 'server-state-file', node.paths.serverState)
    // `expose-fd listeners` lets a reloaded worker take over the listening sockets, so no
    // connection attempt is refused during a reload (seed 004).
    .add(
      null,
      'stats',
      'socket',
      node.paths.statsSocket,
      'mode',
      '660',
      'level',
      'admin',
      'expose-fd',
      'listeners',
    )
    // The agent reads an old worker's last log lines through a CLI session that may sit idle
    // as long as the worker lives (the default 10 s would cut it).
    .add(null, 'stats', 'timeout', formatDuration(graceMs));
  const t = node.logTarget;
  if (t) {
    const target =
      t.kind === 'unix'
        ? t.path
        : t.kind === 'ring'
          ? `ring@${LOG_RING}`
          : formatEndpoint(t.address, t.port);
    d.add('global.logLevel', 'log', target, 'local0', g.logLevel);
  }
  return { kind: 'global', comments: [], directives: d.list(), origin: 'global' };
}

export const LOG_RING = 'tandem-logs';

/**
 * The log ring forwarded to the agent over TCP. 4 MB holds several seconds of logs at tens of
 * thousands of lines per second while the agent catches up; maxlen matches the parser's limit.
 */
export function renderLogRing(node: NodeSettings): Section[] {
  const t = node.logTarget;
  if (t?.kind !== 'ring') return [];
  const d = new DirectiveList('');
  d.add(null, 'description', 'logs for the Tandem agent')
    .add(null, 'format', 'rfc3164')
    .add(null, 'maxlen', 16384)
    .add(null, 'size', 4194304)
    .add(null, 'timeout', 'connect', '5s')
    .add(null, 'timeout', 'server', '10s')
    .add(null, 'server', 'agent', formatEndpoint(t.address, t.port));
  return [
    {
      kind: 'ring',
      name: LOG_RING,
      comments: ['logs forwarded to the agent'],
      directives: d.list(),
      origin: '',
    },
  ];
}

export function renderDefaults(g: GlobalSettings): Section {
  const t = g.timeouts;
  const d = new DirectiveList('global.timeouts');
  d.add('global', 'mode', 'http')
    .add('global', 'log', 'global')
    .add('global.retries', 'retries', g.retries)
    .add(
      'global.redispatch',
      ...(g.redispatch ? ['option', 'redispatch'] : ['no', 'option', 'redispatch']),
    );
  addTimeouts(d, t, DEFAULT_TIMEOUTS, (f) => `global.timeouts.${f}`);
  d.add(null, 'load-server-state-from-file', 'global');
  return { kind: 'defaults', comments: [], directives: d.list(), origin: 'global' };
}

/** The stats page and Prometheus exporter, plus the userlist that guards them off loopback. */
export function renderAdmin(g: GlobalSettings): Section[] {
  const a = g.admin;
  if (!a.enabled) return [];
  const sections: Section[] = [];
  const d = new DirectiveList('global.admin');
  d.add(null, 'mode', 'http')
    .add('global.admin.port', 'bind', formatEndpoint(a.address, a.port))
    .add(null, 'no', 'log');
  if (a.auth) {
    sections.push({
      kind: 'userlist',
      name: ADMIN_USERLIST,
      comments: ['users allowed on the admin endpoint'],
      directives: [
        {
          words: ['user', a.auth.user, 'password', a.auth.passwordHash],
          origin: 'global.admin.auth',
        },
      ],
      origin: 'global.admin.auth',
    });
    d.add(
      'global.admin.auth',
      'http-request',
      'auth',
      'realm',
      'tandem',
      'unless',
      '{',
      `http_auth(${ADMIN_USERLIST})`,
      '}',
    );
  }
  d.addIf(
    a.prometheus,
    'global.admin.prometheusPath',
    'http-request',
    'use-service',
    'prometheus-exporter',
    'if',
    '{',
    'path',
    a.prometheusPath,
    '}',
  );
  if (a.statsPage) {
    d.add('global.admin.statsPage', 'stats', 'enable')
      .add('global.admin.statsPath', 'stats', 'uri', a.statsPath)
      .add(null, 'stats', 'refresh', '10s')
      .add(null, 'stats', 'show-legends');
  }
  sections.push({
    kind: 'frontend',
    name: ADMIN_PROXY,
    comments: ['admin endpoint: HAProxy stats page and Prometheus exporter'],
    directives: d.list(),
    origin: 'global.admin',
  });
  return sections;
}
