import {
  parseVrrpNotify,
  renderKeepalived,
  TandemError,
  vipClashes,
  vipEndpoints,
  type ApplianceConfig,
  type VrrpStatus,
  type VrrpInstance,
} from '@tandem/core';
import { watchSplitBrain } from './splitBrain.js';
import type { VrrpDeps } from './vrrpDeps.js';

export type { VrrpDeps, VrrpPaths } from './vrrpDeps.js';
import { measureTakeover } from './takeover.js';
import { clusterStatus, type InstanceState } from './clusterStatus.js';

/** How long a handed-over VIP stays local on loopback: the peer's GARP plus the slowest reply. */
const SHADOW_MS = 3_000;

/**
 * The unit's side of VRRP: keeps keepalived.conf in step with the running generation (checked
 * with `keepalived -t` before HAProxy reloads, written and reloaded once it runs), tells keepalived
 * whether this unit may be master (the ready file: HAProxy up and not in standby), follows the
 * notify FIFO into per-instance state and the event timeline, measures each takeover and
 * watches for split brain.
 */
export function createVrrpService(d: VrrpDeps) {
  const instances = new Map<string, InstanceState>();
  let config: ApplianceConfig | null = null;
  let generation = 0;
  let node = d.node;
  /** Null until the agent has looked: an agent restart must not flip the ready file meanwhile. */
  let haproxyUp: boolean | null = null;
  let standby = false;
  let started = false;
  let stopping = false;
  let fifo: { close(): void } | null = null;
  /** When an instance's BACKUP came straight from keepalived's start-up. */
  const startedBackupAt = new Map<string, number>();

  const shared = () => (node ? (config?.cluster.instances ?? []) : []);
  const render = (c: ApplianceConfig, n: number, on: NonNullable<typeof node>) =>
    renderKeepalived({
      shared: c.cluster,
      node: on,
      unitName: d.unitName,
      notifyFifo: d.paths.fifo,
      readyFile: d.paths.ready,
      trackProcess: d.trackProcess,
      generation: n,
    });
  const event = (
    severity: 'info' | 'warning' | 'error',
    subject: string,
    message: string,
    data?: Record<string, unknown>,
  ) =>
    d.events.add({
      at: d.clock.now().getTime(),
      kind: 'vrrp',
      severity,
      subject,
      message,
      ...(data ? { data } : {}),
    });

  const shadowed = new Set<string>();
  const dropShadows = async () => {
    for (const address of [...shadowed]) {
      shadowed.delete(address);
      await d.shadow.remove(address);
    }
  };

  const ready = () => haproxyUp === true && !standby;
  const writeReady = () => d.files.write(d.paths.ready, ready() ? '0\n' : '1\n');

  const onMaster = async (inst: VrrpInstance, at: number, from: string) => {
    const r = await measureTakeover({
      instance: inst,
      priority: node?.priorities[inst.name] ?? 100,
      at,
      from,
      initAt: startedBackupAt.get(inst.name),
      endpoints: config ? vipEndpoints(config, inst) : [],
      recentLog: d.keepalived.recentLog(),
      accepts: d.probes.accepts,
      now: () => d.clock.now().getTime(),
      stopped: () => stopping,
    });
    startedBackupAt.delete(inst.name);
    const s = instances.get(inst.name);
    if (s) s.lastTakeover = r.takeover;
    event(r.severity, `vrrp ${inst.name}`, r.message, {
      instance: inst.name,
      from,
      to: 'MASTER',
      takeover: r.takeover,
    });
  };

  const onNotice = (line: string) => {
    const n = parseVrrpNotify(line);
    if (!n) return;
    const inst = shared().find((i) => i.name === n.instance);
    const at = d.clock.now().getTime();
    const s = instances.get(n.instance) ?? {
      state: 'UNKNOWN',
      priority: null,
      since: null,
      lastTakeover: null,
    };
    const from = s.state;
    instances.set(n.instance, { ...s, state: n.state, priority: n.priority, since: at });
    if (from === n.state) return;
    // The first BACKUP after keepalived (re)started: a MASTER soon after it is an election.
    if (from === 'UNKNOWN' && n.state === 'BACKUP') startedBackupAt.set(n.instance, at);
    else if (n.state !== 'MASTER') startedBackupAt.delete(n.instance);
    d.log(`VRRP ${n.instance}: ${from} -> ${n.state}`);
    // Sockets left from a turn as master: ended once this unit has let the VIPs go (after the
    // loopback shadow), so none is there when it takes them again; and again at once when it
    // does, for any the first sweep did not see.
    const dropTimeWait = () => {
      for (const v of inst?.vips ?? []) void d.timeWait.drop(v.address);
    };
    if (from === 'MASTER') setTimeout(dropTimeWait, SHADOW_MS + 1_000).unref();
    if (n.state === 'MASTER' && inst) {
      dropTimeWait();
      void onMaster(inst, at, from);
      return;
    }
    const reason =
      n.state === 'FAULT'
        ? standby
          ? ' (standby: handed over)'
          : haproxyUp
            ? ' (interface down)'
            : ' (HAProxy is not serving)'
        : '';
    event(
      n.state === 'FAULT' ? 'warning' : 'info',
      `vrrp ${n.instance}`,
      `${n.instance}: ${n.state} (was ${from})${reason}`,
      {
        instance: n.instance,
        from,
        to: n.state,
      },
    );
  };

  const splitBrain = watchSplitBrain({
    intervalMs: d.splitBrainIntervalMs ?? 2_000,
    masters: () =>
      shared()
        .filter((i) => instances.get(i.name)?.state === 'MASTER')
        .map((i) => ({ name: i.name, address: i.vips[0]?.address ?? '' })),
    probe: (address) => d.probes.duplicate(node?.interface ?? 'lo', address),
    onChange: (name, on) =>
      event(
        on ? 'error' : 'info',
        `vrrp ${name}`,
        on
          ? `${name}: split brain: another unit answers for this instance's VIP while this unit is MASTER (VRRP adverts are not getting through)`
          : `${name}: split brain resolved: only this unit answers for the VIP`,
        { instance: name, splitBrain: on },
      ),
  });

  const status = (): VrrpStatus =>
    clusterStatus({
      enabled: started,
      unit: d.unitName,
      keepalivedPid: d.keepalived.pid(),
      ready: ready(),
      standby,
      splitBrain: splitBrain.active(),
      node,
      configured: shared(),
      instances,
    });

  return {
    status,
    /**
     * Opens the notify FIFO; keepalived starts with the first commit. The ready file is created
     * "not ready" only if missing: a keepalived that outlived the previous agent keeps its view
     * until setHaproxyUp() reports what this agent found, so a restart moves no VIP.
     */
    async start(): Promise<void> {
      standby = (await d.files.read(d.paths.standby)) !== null;
      if ((await d.files.read(d.paths.ready)) === null) await d.files.write(d.paths.ready, '1\n');
      fifo = await d.openFifo(d.paths.fifo, onNotice);
      splitBrain.start();
    },
    /** Renders and checks keepalived.conf for a generation before HAProxy reloads into it. */
    async check(c: ApplianceConfig, n: number): Promise<void> {
      if (c.cluster.instances.length === 0 || !node) return;
      const clashes = vipClashes(node, c);
      if (clashes.length > 0)
        throw new TandemError(
          'keepalived_check_failed',
          `generation ${n} would put a VIP on a unit's own address`,
          clashes,
        );
      const text = render(c, n, node);
      await d.files.write(d.paths.candidate, text);
      const r = await d.checker.check(d.paths.candidate);
      if (!r.ok)
        throw new TandemError(
          'keepalived_check_failed',
          `keepalived refused the cluster settings of generation ${n}`,
          r.messages.slice(0, 20).map((message) => ({ path: 'cluster', message })),
        );
    },
    /** Makes keepalived follow the running generation: write, then start or reload. */
    async commit(c: ApplianceConfig, n: number, force = false): Promise<void> {
      const before = config;
      config = c;
      generation = n;
      if (c.cluster.instances.length === 0 || !node) {
        if (started) {
          await d.keepalived.stop();
          started = false;
          event(
            'info',
            `unit ${d.unitName}`,
            node
              ? 'keepalived stopped: no VRRP instances in the configuration'
              : "keepalived stopped: this unit's cluster settings were removed",
          );
        }
        return;
      }
      const text = render(c, n, node);
      const same = (await d.files.read(d.paths.config)) === text;
      if (!same) await d.files.write(d.paths.config, text);
      if (!started) {
        await d.keepalived.start();
        started = true;
        d.log(`keepalived running (pid ${d.keepalived.pid() ?? '?'})`);
        // An adopted keepalived reports nothing until its next transition: until then, whoever
        // has an instance's VIPs on the interface is its master.
        for (const i of c.cluster.instances)
          if (d.keepalived.adopted() && !instances.has(i.name))
            instances.set(i.name, {
              state: i.vips[0] && d.probes.holds(i.vips[0].address) ? 'MASTER' : 'BACKUP',
              priority: node.priorities[i.name] ?? null,
              since: d.clock.now().getTime(),
              lastTakeover: null,
            });
      } else if (
        !same &&
        (force || JSON.stringify(before?.cluster) !== JSON.stringify(c.cluster))
      ) {
        d.keepalived.reload();
        event('info', `unit ${d.unitName}`, `keepalived reloaded for generation ${n}`);
      }
    },
    /**
     * This unit's side changed (the operator set or removed it): keepalived follows at once with
     * the running generation, checked first like any other keepalived.conf.
     */
    async setNode(next: NonNullable<typeof node> | null): Promise<void> {
      const previous = node;
      node = next;
      if (!config) return;
      try {
        await this.check(config, generation);
        await this.commit(config, generation, true);
      } catch (e) {
        node = previous;
        throw e;
      }
    },
    node: () => node,
    /** HAProxy's liveness as the agent sees it: a dead HAProxy makes this unit step down. */
    async setHaproxyUp(up: boolean): Promise<void> {
      if (up === haproxyUp) return;
      haproxyUp = up;
      await writeReady();
    },
    /** Planned maintenance: give the VIPs to the peer and stay backup until resume(). */
    async handover(): Promise<VrrpStatus> {
      if (!started) throw new TandemError('conflict', 'this unit has no VRRP instances');
      standby = true;
      await d.files.write(d.paths.standby, `${new Date(d.clock.now()).toISOString()}\n`);
      // Make-before-break, as far as one unit can: the VIPs stay local here (on loopback, not
      // announced by ARP) for a few seconds, so packets of connections this unit accepted just
      // before resigning, or that reach it before the peer's gratuitous ARP, are still served
      // here instead of being dropped and reset later (ADR 0010).
      const held = shared()
        .filter((i) => instances.get(i.name)?.state === 'MASTER')
        .flatMap((i) => i.vips.map((v) => v.address));
      for (const address of held) {
        await d.shadow.add(address);
        shadowed.add(address);
      }
      const unsafe = held.length ? await d.shadow.unsafe() : null;
      if (unsafe)
        event(
          'warning',
          `unit ${d.unitName}`,
          `handover: ${unsafe}; clients may go on sending to this unit for a while after its VIPs are gone`,
        );
      // Gone after a few seconds, or at resume, whichever is first: never while this unit could
      // be master again.
      setTimeout(() => void dropShadows(), SHADOW_MS).unref();
      await writeReady();
      event(
        'info',
        `unit ${d.unitName}`,
        'handover: this unit gives up its VIPs and stays in standby until resume',
      );
      // keepalived sees the ready file at once (inotify); wait for it to leave MASTER.
      for (let i = 0; i < 60 && [...instances.values()].some((s) => s.state === 'MASTER'); i++)
        await new Promise((r) => setTimeout(r, 50));
      return status();
    },
    async resume(): Promise<VrrpStatus> {
      await dropShadows();
      standby = false;
      await d.files.rename(d.paths.standby, `${d.paths.standby}.resumed`);
      await writeReady();
      event(
        'info',
        `unit ${d.unitName}`,
        'resume: this unit may be master again (per priority and preemption)',
      );
      return status();
    },
    onKeepalivedExit(why: string): void {
      if (stopping) return;
      for (const s of instances.values()) s.state = 'UNKNOWN';
      event('error', `unit ${d.unitName}`, `${why}; restarting it`);
      setTimeout(() => {
        if (stopping || !started) return;
        d.keepalived
          .start()
          .catch((e: unknown) => d.log(`keepalived restart failed: ${String(e)}`));
      }, 1_000).unref();
    },
    async stop(): Promise<void> {
      stopping = true;
      splitBrain.stop();
      fifo?.close();
      if (started) await d.keepalived.stop();
    },
  };
}
export type VrrpService = ReturnType<typeof createVrrpService>;
