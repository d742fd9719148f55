import {
  CLUSTER_EXAMPLES,
  parseApplianceConfig,
  TandemError,
  type ApplianceConfig,
} from '@tandem/core';
import { describe, expect, it, vi } from 'vitest';
import type { FileWriter } from '../adapters/atomicFiles.js';
import type { KeepalivedProcess } from '../adapters/keepalivedLauncher.js';
import { openEventStore } from '../store/eventStore.js';
import { openTelemetryDb } from '../store/openTelemetryDb.js';
import { createVrrpService } from './vrrp.js';

const example = CLUSTER_EXAMPLES[0]!;

function configWith(advertIntervalMs = 100): ApplianceConfig {
  const r = parseApplianceConfig({
    schemaVersion: 1,
    cluster: {
      instances: example.shared.instances.map((i) => ({ ...i, advertIntervalMs })),
    },
    services: [
      {
        name: 'web',
        mode: 'http',
        binds: [{ vip: 'public-web', port: 80 }],
        defaultBackend: 'app',
        backends: [{ name: 'app', servers: [{ name: 's1', address: '198.18.1.1', port: 80 }] }],
      },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

/** Fakes for every adapter: files in a map, a scripted keepalived, probes that answer as told. */
function world(o: { checkOk?: boolean; holds?: boolean; arpUnsafe?: string } = {}) {
  const files = new Map<string, string>();
  const fw: FileWriter = {
    write: (p, c) => Promise.resolve(void files.set(p, c)),
    read: (p) => Promise.resolve(files.get(p) ?? null),
    rename: (a, b) => {
      const v = files.get(a);
      files.delete(a);
      if (v !== undefined) files.set(b, v);
      return Promise.resolve();
    },
  };
  const calls: string[] = [];
  const log: { at: number; text: string }[] = [];
  let pid: number | null = null;
  const keepalived: KeepalivedProcess = {
    start: () => Promise.resolve(void (calls.push('start'), (pid = 42))),
    reload: () => void calls.push('reload'),
    stop: () => Promise.resolve(void (calls.push('stop'), (pid = null))),
    pid: () => pid,
    adopted: () => o.holds !== undefined,
    recentLog: () => log,
  };
  let notify: (line: string) => void = () => undefined;
  const events = openEventStore(openTelemetryDb(':memory:'));
  let now = 1_000_000;
  const service = createVrrpService({
    node: example.units.a,
    unitName: 'tandem-a',
    paths: {
      config: '/u/keepalived.conf',
      candidate: '/u/candidate',
      fifo: '/u/fifo',
      ready: '/u/ready',
      standby: '/u/standby',
    },
    files: fw,
    checker: {
      check: () =>
        Promise.resolve(
          o.checkOk === false
            ? { ok: false, messages: ['(Line 9) bad thing'] }
            : { ok: true, messages: [] },
        ),
    },
    keepalived,
    events,
    clock: { now: () => new Date(now) },
    log: () => undefined,
    trackProcess: null,
    probes: {
      accepts: () => Promise.resolve(true),
      duplicate: () => Promise.resolve(false),
      holds: () => o.holds ?? false,
    },
    shadow: {
      add: (a) => Promise.resolve(void calls.push(`shadow+ ${a}`)),
      remove: (a) => Promise.resolve(void calls.push(`shadow- ${a}`)),
      unsafe: () => Promise.resolve(o.arpUnsafe ?? null),
    },
    timeWait: { drop: (a) => Promise.resolve(void calls.push(`time-wait- ${a}`)) },
    openFifo: (_path, onLine) => {
      notify = onLine;
      return Promise.resolve({ close: () => undefined });
    },
  });
  return {
    service,
    files,
    calls,
    log,
    events,
    notify: (l: string) => notify(l),
    advance: (ms: number) => (now += ms),
    vrrpEvents: () => events.query({ kind: 'vrrp', limit: 50 }).map((e) => e.message),
  };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('VRRP service', () => {
  it('checks keepalived before HAProxy reloads and names the cluster in the error', async () => {
    const w = world({ checkOk: false });
    const err = await w.service.check(configWith(), 3).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TandemError);
    expect((err as TandemError).code).toBe('keepalived_check_failed');
    expect((err as TandemError).fields).toEqual([
      { path: 'cluster', message: '(Line 9) bad thing' },
    ]);
    expect(w.calls).toEqual([]);
  });

  it('starts keepalived on the first commit and reloads only when the cluster changed', async () => {
    const w = world();
    await w.service.start();
    await w.service.commit(configWith(), 2);
    await w.service.commit(configWith(), 3);
    expect(w.calls).toEqual(['start']);
    await w.service.commit(configWith(200), 4);
    expect(w.calls).toEqual(['start', 'reload']);
    expect(w.files.get('/u/keepalived.conf')).toContain('advert_int 0.2');
  });

  it('is not ready until HAProxy is up, and a handover keeps it out until resume', async () => {
    const w = world();
    await w.service.start();
    expect(w.files.get('/u/ready')).toBe('1\n');
    await w.service.setHaproxyUp(true);
    expect(w.files.get('/u/ready')).toBe('0\n');
    await w.service.commit(configWith(), 2);
    w.notify('INSTANCE "edge" MASTER 150');
    const s = await w.service.handover();
    expect(s.standby).toBe(true);
    // The VIPs this unit held stay local on loopback for a moment (make-before-break).
    expect(w.calls).toContain('shadow+ 198.18.0.100');
    expect(w.calls).toContain('shadow+ 198.18.0.101');
    expect(w.files.get('/u/ready')).toBe('1\n');
    expect(w.files.has('/u/standby')).toBe(true);
    await w.service.resume();
    expect(w.calls.filter((c) => c.startsWith('shadow-'))).toEqual([
      'shadow- 198.18.0.100',
      'shadow- 198.18.0.101',
    ]);
    expect(w.files.get('/u/ready')).toBe('0\n');
    expect(w.files.has('/u/standby')).toBe(false);
  });

  it("ends the TIME_WAIT sockets on an instance's VIPs as soon as it is MASTER", async () => {
    const w = world();
    await w.service.start();
    await w.service.setHaproxyUp(true);
    await w.service.commit(configWith(), 2);
    w.notify('INSTANCE "edge" BACKUP 150');
    expect(w.calls.filter((c) => c.startsWith('time-wait-'))).toEqual([]);
    w.notify('INSTANCE "edge" MASTER 150');
    const dropped = () => w.calls.filter((c) => c.startsWith('time-wait-'));
    expect(dropped()).toEqual(['time-wait- 198.18.0.100', 'time-wait- 198.18.0.101']);
    // Again once it has let them go and its loopback shadow is over.
    vi.useFakeTimers();
    try {
      w.notify('INSTANCE "edge" BACKUP 150');
      expect(dropped()).toHaveLength(2);
      vi.advanceTimersByTime(4_000);
      expect(dropped()).toHaveLength(4);
    } finally {
      vi.useRealTimers();
    }
  });

  it('says at a handover when this unit could still announce its VIPs by ARP', async () => {
    for (const arpUnsafe of [undefined, 'net.ipv4.conf.all.arp_announce should be 2']) {
      const w = world({ arpUnsafe });
      await w.service.start();
      await w.service.setHaproxyUp(true);
      await w.service.commit(configWith(), 2);
      w.notify('INSTANCE "edge" MASTER 150');
      await w.service.handover();
      const warned = w.vrrpEvents().filter((m) => m.includes('clients may go on sending'));
      expect(warned).toEqual(
        arpUnsafe ? [expect.stringContaining('arp_announce should be 2')] : [],
      );
      // Said, not refused: the handover happened.
      expect(w.calls).toContain('shadow+ 198.18.0.100');
    }
  });

  it('keeps the ready file an earlier agent left while it has not looked at HAProxy yet', async () => {
    const w = world();
    w.files.set('/u/ready', '0\n');
    await w.service.start();
    expect(w.files.get('/u/ready')).toBe('0\n');
  });

  it('follows the FIFO and measures a takeover after the peer went silent', async () => {
    const w = world();
    await w.service.start();
    await w.service.setHaproxyUp(true);
    await w.service.commit(configWith(), 2);
    w.notify('INSTANCE "edge" BACKUP 150');
    w.advance(10_000);
    w.log.push({ at: w.advance(0), text: '(edge) Receive advertisement timeout' });
    w.notify('INSTANCE "edge" MASTER 150');
    await settle();
    const edge = w.service.status().instances[0];
    expect(edge?.state).toBe('MASTER');
    expect(edge?.lastTakeover?.cause).toBe('peer-silent');
    // 3 × 100 ms + (256 − 150) × 100 / 256 ms, plus the probe's few ms.
    expect(edge?.lastTakeover?.detectMs).toBe(341);
    expect(edge?.lastTakeover?.gapMs).toBeGreaterThanOrEqual(341);
    expect(w.vrrpEvents()[0]).toMatch(
      /^edge: MASTER \(was BACKUP\); the peer went silent; took over in 0\.3\d s \(probe 198\.18\.0\.100:80\)$/,
    );
  });

  it('calls a master right after start-up an election, and a fault names its reason', async () => {
    const w = world();
    await w.service.start();
    await w.service.setHaproxyUp(true);
    await w.service.commit(configWith(), 2);
    w.notify('INSTANCE "edge" BACKUP 150');
    w.advance(300);
    w.notify('INSTANCE "edge" MASTER 150');
    await settle();
    expect(w.service.status().instances[0]?.lastTakeover?.cause).toBe('election');
    await w.service.setHaproxyUp(false);
    w.notify('INSTANCE "edge" FAULT 150');
    expect(w.vrrpEvents()[0]).toBe('edge: FAULT (was MASTER) (HAProxy is not serving)');
  });

  it('reads an adopted keepalived state from the VIPs on the interface', async () => {
    const w = world({ holds: true });
    await w.service.start();
    await w.service.commit(configWith(), 2);
    expect(w.service.status().instances[0]?.state).toBe('MASTER');
  });

  it('stops keepalived when the configuration has no VRRP instances left', async () => {
    const w = world();
    await w.service.start();
    await w.service.commit(configWith(), 2);
    const none = parseApplianceConfig({ schemaVersion: 1 });
    if (!none.ok) throw new Error('invalid');
    await w.service.commit(none.value, 3);
    expect(w.calls).toEqual(['start', 'stop']);
    expect(w.service.status().enabled).toBe(false);
  });
});
