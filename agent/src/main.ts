#!/usr/bin/env node
/**
 * The agent daemon's composition root: read the environment, build adapters, build services,
 * serve the API on a unix socket. Nothing else in the agent constructs adapters.
 */
import { chmod, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { nodeUnder, parseApplianceConfig, parseNodeSettings } from '@tandem/core';
import { composeReload } from './composeReload.js';
import { crashPoint } from './crashPoint.js';
import { storageStartError } from './storageProblem.js';
import { createFileWriter } from './adapters/atomicFiles.js';
import { composeCertificates } from './composeCertificates.js';
import { composeNotifications } from './composeNotifications.js';
import { systemClock } from './adapters/clock.js';
import { createHaproxyChecker } from './adapters/haproxyChecker.js';
import type { HaproxyLauncher } from './adapters/haproxyLauncher.js';
import { composeHaproxy } from './composeHaproxy.js';
import { readEnv } from './env.js';
import { buildOpenApi } from './http/openapi.js';
import type { Route } from './http/router.js';
import { createRoutes } from './http/routes.js';
import { createApplyService } from './services/apply.js';
import { createGenerationService } from './services/generations.js';
import { createRuntimeChangeService } from './services/runtimeChanges.js';
import { createServiceEdits } from './services/serviceEdits.js';
import { openSqliteConfigStore } from './store/sqliteConfigStore.js';
import { createStatsSampler } from './services/statsSampler.js';
import { composeTelemetry } from './composeTelemetry.js';
import { composeVrrp } from './composeVrrp.js';
import { composeSockets } from './composeSockets.js';
import { composePeer } from './composePeer.js';
import { sharedCertificateSet } from './services/certificateSync.js';
import { composeAuth } from './composeAuth.js';
import { startUnit } from './startUnit.js';
import { pairPeersOf } from './services/pairPeers.js';
import { createConfirmedChanges } from './services/confirmedChanges.js';
import { createConfirmWindow } from './services/confirmWindow.js';
import { createNetworkSettings } from './services/networkSettings.js';
import { createNetworkd } from './adapters/networkd.js';
import { clusterNodeLink } from './services/peering.js';
import { lookupGroup } from './adapters/systemUsers.js';
import { composeSystem } from './composeSystem.js';
import { createUnitStatus } from './services/unitStatus.js';
import { composeDiscovery } from './composeDiscovery.js';

const log = (m: string) => console.log(`${new Date().toISOString()} agent: ${m}`);

/** What main() started (a failed start must not orphan HAProxy) and where its state is. */
const started: { launcher: HaproxyLauncher | null; stateDir: string } = {
  launcher: null,
  stateDir: '',
};

async function main(): Promise<void> {
  const env = readEnv(process.env, process.cwd());
  const dir = (started.stateDir = env.stateDir);
  // Everything the agent writes (stores, keys, configs) is its own; the few things another
  // process needs (the console socket and certificate) are granted to that group explicitly.
  process.umask(0o077);
  const consoleGroup = env.consoleGroup === null ? null : lookupGroup(env.consoleGroup);
  if (env.consoleGroup !== null && consoleGroup === null)
    throw new Error(`TANDEM_CONSOLE_GROUP: no group ${env.consoleGroup}`);
  for (const sub of ['run', 'maps', 'certs']) await mkdir(join(dir, sub), { recursive: true });
  // Others may pass through the state directory (to the console socket), not list it.
  await chmod(dir, 0o711);
  // Paths HAProxy sees (inside its chroot, when it runs in one) vs paths this process opens.
  const root = env.haproxyRoot;
  if (root !== '' && !dir.startsWith(`${root}/`))
    throw new Error('TANDEM_STATE_DIR must be inside TANDEM_HAPROXY_ROOT');
  const inside = (p: string) => (root === '' ? p : p.slice(root.length));
  const unitDir = inside(dir);
  const nodeParsed = parseNodeSettings({
    ...nodeUnder(unitDir, env.unitName),
    logTarget:
      env.logPort > 0 ? { kind: 'ring', address: '127.0.0.1', port: env.logPort } : undefined,
  });
  if (!nodeParsed.ok)
    throw new Error(`invalid node settings: ${JSON.stringify(nodeParsed.errors)}`);
  const node = nodeParsed.value;
  const paths = {
    config: join(unitDir, 'haproxy.cfg'),
    candidate: join(unitDir, 'haproxy.cfg.candidate'),
    failed: join(unitDir, 'haproxy.cfg.failed'),
  };
  const masterSocket = join(dir, 'run', 'master.sock');

  const store = openSqliteConfigStore(join(dir, 'tandem.db'));
  const telemetry = await composeTelemetry({ env, log });
  const { series, events, ingest } = telemetry;
  // Before anything records an event: the webhooks hear of all of them.
  const notifications = await composeNotifications({ env, events, log });
  const startedAt = Date.now();
  const generations = createGenerationService({ store, clock: systemClock, unit: env.unitName });
  const initial = parseApplianceConfig({
    schemaVersion: 1,
    global: { admin: { port: env.adminPort } },
  });
  if (!initial.ok) throw new Error('the initial configuration does not validate');
  if (generations.seed(initial.value)) log('created generation 1 (no services yet)');

  const files = createFileWriter(root);
  const cluster = await composeVrrp({ env, files, store, generations, events, log });
  const vrrp = cluster?.vrrp ?? null;
  let stopping = false;
  const { launcher, master, supervisor } = composeHaproxy({
    env,
    configPath: paths.config,
    masterSocket: { host: masterSocket, inside: inside(masterSocket) },
    vrrp,
    events,
    log,
    stopping: () => stopping,
    onLauncher: (l) => (started.launcher = l),
  });
  const sampler =
    env.statsIntervalMs > 0
      ? createStatsSampler({
          master,
          store: series,
          events,
          tiers: env.statsTiers,
          clock: systemClock,
          intervalMs: env.statsIntervalMs,
          log,
        })
      : null;
  const { runtime, oldWorkers, tap } = composeReload({
    node,
    root,
    master,
    store,
    generations,
    ingest,
    events,
    log,
  });
  // Before the apply service: whether this unit answers ACME challenges shapes what it renders.
  const { certificates, acme } = await composeCertificates({
    node,
    stateDir: env.stateDir,
    root,
    files,
    store,
    generations,
    runtime,
    events,
    log,
    unitName: env.unitName,
    vrrp: () => vrrp?.status().instances ?? [],
  });
  // Whether the last render had the ACME responder: ACME set up (here or by the peer) adds it to
  // what runs at once when nothing else waits to be applied (else with the operator's apply).
  let acmeRendered = false;
  const crash = crashPoint(env.crashAt, log);
  const apply = createApplyService({
    ...crash,
    dumpServerState: () => runtime.dumpServersState(),
    pairPeers: () => pairPeersOf({ unitName: env.unitName, port: env.haproxyPeersPort, store }),
    acmeChallenges: () => (acmeRendered = acme.status().settings !== null),
    afterReload: async (previous) => {
      tap?.afterReload(previous);
      return oldWorkers.afterReload(previous);
    },
    reloadAborted: () => tap?.cancel(),
    generations,
    store,
    files,
    checker: createHaproxyChecker({ command: env.haproxyCommand, zeroWarning: true }),
    master,
    node,
    paths,
    clock: systemClock,
    log,
    events,
    beforeReload: async () => {
      await sampler?.checkpoint();
      await tap?.beforeReload();
    },
    ...(vrrp ? { cluster: vrrp } : {}),
  });

  acme.onChanged(async () => {
    const wanted = acme.status().settings !== null;
    const latest = generations.latest()?.summary.number ?? null;
    if (wanted !== acmeRendered && latest !== null && store.running() === latest)
      await apply
        .apply()
        .then(() => undefined)
        .catch((e: unknown) => log(`apply for ACME's responder: ${String(e)}`));
  });

  const { alive } = await startUnit({
    master,
    runtime,
    launcher,
    supervisor,
    vrrp,
    store,
    generations,
    apply,
    files,
    configPath: paths.config,
    masterSocket,
    log,
  });

  const edits = createServiceEdits({
    generations,
    references: (config) => certificates.missingIn(config),
    render: (config, number) => apply.renderConfig(config, number).config,
    running: () => store.running(),
    openConnections: () => {
      const n = Number(sampler?.snapshot()?.info.CurrConns);
      return Number.isInteger(n) ? n : null;
    },
  });
  const runtimeChanges = createRuntimeChangeService({
    ...crash,
    generations,
    store,
    runtime,
    apply,
    log,
    events,
  });
  const discovery = composeDiscovery({ generations, runtime, events, log });
  sampler?.start();
  events.add({
    at: Date.now(),
    kind: 'agent',
    severity: 'info',
    subject: `unit ${env.unitName}`,
    message: `agent started; generation ${store.running() ?? 'none'} runs`,
  });
  const { system, agentFigures, sshKeys } = await composeSystem({ env, master, startedAt });
  const nodeSettings = cluster?.nodeSettings ?? null;
  const auth = composeAuth(env);
  const shared = sharedCertificateSet(certificates, acme);
  const peers = { env, store, generations, apply, nodeSettings, sampler, vrrp, auth, events, log };
  const peer = await composePeer({
    ...peers,
    certificates: { shared, store: certificates, acme },
    notifications,
    discovery,
  });
  const window = createConfirmWindow({ windowMs: env.confirmWindowMs, now: Date.now, events, log });
  const network = createNetworkSettings({
    host:
      env.network === 'networkd'
        ? createNetworkd({
            runtimeDir: '/run/systemd/network',
            stateDir: join(env.stateDir, 'network'),
          })
        : null,
    window,
  });
  const confirmed = createConfirmedChanges({
    apply,
    generations,
    window,
    nodes: clusterNodeLink(env.unitName, nodeSettings, peer?.peering ?? null),
  });
  let documented: readonly Route[] = [];
  const routes: Route[] = createRoutes({
    unitName: env.unitName,
    status: createUnitStatus({
      unitName: env.unitName,
      store,
      generations,
      master,
      runtime,
      oldWorkers,
      apply,
      ingest,
      sampler,
    }),
    generations,
    edits,
    apply,
    runtimeChanges,
    // The whole served API, console routes included (composeSockets adds them below).
    openapi: () => buildOpenApi(documented),
    ...telemetry.queries(sampler),
    ingest,
    sampler,
    vrrp,
    nodeSettings,
    confirmed,
    peering: peer?.peering ?? null,
    system,
    sshKeys,
    network,
    certificates,
    acme,
    notifications,
    discovery,
    metrics: () => ({
      ...agentFigures(),
      running: store.running() ?? 0,
      latest: store.latest()?.number ?? 0,
      applies: apply.counts(),
      threadHeaps: telemetry.threadHeaps(),
    }),
  });
  const sockets = await composeSockets({ env, auth, routes, consoleGroup, log });
  documented = sockets.routes;

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    sockets.close();
    peer?.close();
    // keepalived before HAProxy: it resigns (priority 0 advert), so the peer holds the VIPs
    // before this unit's HAProxy stops answering.
    await vrrp?.stop();
    // HAProxy next: its server state saved for the next start, its last log lines reach us.
    await apply.saveServerState();
    if (launcher?.running()) await launcher.stop();
    else if (launcher && alive) {
      // A master adopted from an earlier agent: this dev/lab unit owns it, so it stops with us.
      const pid = await master.showProc().then(
        (p) => p.masterPid,
        () => 0,
      );
      if (pid > 0) process.kill(pid, 'SIGTERM');
    }
    sampler?.stop();
    tap?.close();
    store.close();
    await telemetry.close();
    await rm(env.socketPath, { force: true });
    await rm(env.consoleSocketPath, { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch(async (e: unknown) => {
  // A full or read-only state directory is said as such (what to do about it), not in SQLite's words.
  console.error(
    `agent: ${storageStartError(e, started.stateDir) ?? (e instanceof Error ? e.message : String(e))}`,
  );
  if (started.launcher?.running()) await started.launcher.stop();
  process.exit(1);
});
