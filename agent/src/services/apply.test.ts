import {
  nodeUnder,
  parseApplianceConfig,
  parseNodeSettings,
  type ApplianceConfig,
} from '@tandem/core';
import type { EventInput } from '../store/eventStore.js';
import { describe, expect, it } from 'vitest';
import { createFakeFileWriter } from '../adapters/atomicFiles.js';
import { createFakeHaproxyChecker } from '../adapters/fakeHaproxyChecker.js';
import type { HaproxyMaster, ReloadOutcome } from '../adapters/haproxyMaster.js';
import { openSqliteConfigStore } from '../store/sqliteConfigStore.js';
import { createApplyService } from './apply.js';
import { createGenerationService } from './generations.js';
import { createRuntimeChangeService } from './runtimeChanges.js';

const PATHS = {
  config: '/u/haproxy.cfg',
  candidate: '/u/haproxy.cfg.candidate',
  failed: '/u/haproxy.cfg.failed',
};

const STATE_HEADER =
  '1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n';

function configWithPort(port: number): ApplianceConfig {
  const r = parseApplianceConfig({
    schemaVersion: 1,
    services: [
      {
        name: 'web',
        mode: 'http',
        binds: [{ address: '127.0.0.1', port }],
        defaultBackend: 'app',
        backends: [
          {
            name: 'app',
            healthCheck: { type: 'tcp' },
            servers: [
              { name: 's1', address: '127.0.0.1', port: 9 },
              ...(port > 8002 ? [{ name: 's2', address: '127.0.0.1', port: 10 }] : []),
            ],
          },
        ],
      },
    ],
  });
  if (!r.ok) throw new Error('fixture');
  return r.value;
}

/**
 * A scripted HAProxy master: `reload` starts a new worker that runs whatever generation the live
 * file names, unless told to fail, to answer falsely, or to keep the old worker.
 */
function fakeMaster(
  files: Map<string, string>,
  script: { reload?: 'ok' | 'fail' | 'silent-keep' | 'lost-answer' } = {},
) {
  let pid = 100;
  let running = 'generation 1';
  const master: HaproxyMaster = {
    showProc: () =>
      Promise.resolve({
        masterPid: 1,
        reloads: 0,
        version: 'fake',
        workers: [{ pid, reloads: 0 }],
        oldWorkers: [],
        oldWorkerUptimes: [],
      }),
    workerByPid: () => Promise.resolve(''),
    workerStats: async () => [],
    worker: () => Promise.resolve(`Name: HAProxy\ndescription: ${running}\n`),
    reload(): Promise<ReloadOutcome> {
      const mode = script.reload ?? 'ok';
      if (mode === 'fail')
        return Promise.resolve({
          ok: false,
          diagnostics: [{ severity: 'alert', message: 'cannot bind socket' }],
        });
      if (mode === 'silent-keep') return Promise.resolve({ ok: true, diagnostics: [] });
      pid++;
      running = /generation (\d+)/.exec(files.get(PATHS.config) ?? '')?.[0] ?? '';
      if (mode === 'lost-answer') return Promise.reject(new Error('connection reset'));
      return Promise.resolve({ ok: true, diagnostics: [] });
    },
  };
  return master;
}

function setup(script: Parameters<typeof fakeMaster>[1] = {}, check = createFakeHaproxyChecker()) {
  const store = openSqliteConfigStore(':memory:');
  const generations = createGenerationService({
    store,
    clock: { now: () => new Date('2026-11-21T12:00:00Z') },
    unit: 'unit-1',
  });
  const g1 = generations.commit({
    base: null,
    config: configWithPort(8001),
    author: 't',
    message: 'one',
    origin: 'change',
  });
  store.setRunning(g1.number);
  const { writer, files } = createFakeFileWriter();
  const node = parseNodeSettings(nodeUnder('/u'));
  if (!node.ok) throw new Error('node');
  const master = fakeMaster(files, script);
  const events: EventInput[] = [];
  const checkpoints: number[] = [];
  const dumps: string[] = [];
  const apply = createApplyService({
    // The running worker knows s1 (DOWN: op state 0); a file written before each reload.
    dumpServerState: async () => {
      dumps.push(files.get(PATHS.config) ?? '');
      return `${STATE_HEADER}3 web.app 1 s1 127.0.0.1 0 0 1 1 12 7 2 0 6 0 0 0 - 9 - 0 0 - - 0\n`;
    },
    events: { add: (e) => (events.push(e), { ...e, id: events.length }) },
    beforeReload: async () => {
      checkpoints.push(Date.now());
    },
    generations,
    store,
    files: writer,
    checker: check.checker,
    master,
    node: node.value,
    paths: PATHS,
    clock: { now: () => new Date() },
    log: () => undefined,
    verifyTimeoutMs: 200,
  });
  files.set(PATHS.config, apply.render(generations.get(1)).config);
  const change = () =>
    generations.commit({
      base: store.latest()?.number ?? null,
      config: configWithPort(8002 + (store.latest()?.number ?? 0)),
      author: 't',
      message: 'next',
      origin: 'change',
    });
  return {
    store,
    generations,
    files,
    apply,
    change,
    calls: check.calls,
    events,
    checkpoints,
    dumps,
  };
}

describe('apply (fakes)', () => {
  it('swaps, reloads, verifies and marks running', async () => {
    const u = setup();
    u.change();
    expect(await u.apply.apply()).toMatchObject({ generation: 2, outcome: 'reload' });
    expect(u.store.running()).toBe(2);
    expect(u.store.applying()).toBeNull();
    expect(u.files.get(PATHS.config)).toContain('generation 2');
    expect(await u.apply.apply()).toMatchObject({ generation: 2, outcome: 'unchanged' });
    // One stats checkpoint before the one reload, one timeline event for the one real apply.
    expect(u.checkpoints).toHaveLength(1);
    expect(u.events).toMatchObject([{ kind: 'apply', severity: 'info', subject: 'generation 2' }]);
    expect(u.apply.counts()).toEqual({ ok: 1, failed: 0 });
  });

  it('saves the server state before the reload and names the servers that start fresh', async () => {
    const u = setup();
    u.change();
    // Generation 3 adds s2, which the running worker does not know.
    u.change();
    const r = await u.apply.apply();
    expect(r).toMatchObject({ generation: 3, freshServers: ['web.app/s2'] });
    // Saved after the new file was in place, once, and in HAProxy's own format.
    expect(u.dumps).toHaveLength(1);
    expect(u.dumps[0]).toContain('generation 3');
    expect(u.files.get('/u/server-state')).toMatch(/^1\n# be_id .*\n3 web\.app 1 s1 /s);
    expect(u.events.at(-1)?.message).toContain('started fresh: web.app/s2');
  });

  it('maps a refused check to the field and keeps the running file', async () => {
    const u = setup(
      {},
      createFakeHaproxyChecker({
        ok: false,
        diagnostics: [{ severity: 'alert', file: PATHS.candidate, line: 0, message: 'x' }],
      }),
    );
    const before = u.files.get(PATHS.config);
    u.change();
    await expect(u.apply.apply()).rejects.toMatchObject({ code: 'apply_failed' });
    expect(u.store.running()).toBe(1);
    expect(u.files.get(PATHS.config)).toBe(before);
    expect(u.apply.lastApply()).toMatchObject({ generation: 2, ok: false });
    expect(u.checkpoints).toHaveLength(0);
    expect(u.events).toMatchObject([
      {
        kind: 'apply',
        severity: 'error',
        message: 'generation 2 failed, generation 1 still runs: HAProxy refused generation 2',
      },
    ]);
    expect(u.apply.counts()).toEqual({ ok: 0, failed: 1 });
  });

  it('restores the last-known-good file when the reload fails', async () => {
    const u = setup({ reload: 'fail' });
    const before = u.files.get(PATHS.config);
    u.change();
    await expect(u.apply.apply()).rejects.toMatchObject({
      code: 'reload_failed',
      fields: [{ path: '', message: 'HAProxy alert: cannot bind socket' }],
    });
    expect(u.store.running()).toBe(1);
    expect(u.files.get(PATHS.config)).toBe(before);
  });

  it('notices a reload that kept the old worker (HAProxy 2.6 answers nothing)', async () => {
    const u = setup({ reload: 'silent-keep' });
    u.change();
    await expect(u.apply.apply()).rejects.toThrow(/kept the old worker/);
    expect(u.store.running()).toBe(1);
  });

  it('confirms an apply whose reload answer was lost but whose worker runs it', async () => {
    const u = setup({ reload: 'lost-answer' });
    u.change();
    expect(await u.apply.apply()).toMatchObject({ generation: 2, outcome: 'reload' });
    expect(u.store.running()).toBe(2);
  });

  it('coalesces concurrent applies into at most one more run', async () => {
    const u = setup();
    u.change();
    const first = u.apply.apply();
    u.change();
    const second = u.apply.apply();
    u.change();
    const third = u.apply.apply();
    const results = await Promise.all([first, second, third]);
    expect(results.map((r) => r.generation)).toEqual([2, 4, 4]);
    expect(u.calls).toHaveLength(2);
    expect(u.store.running()).toBe(4);
  });
});

describe('live changes and applies (fakes)', () => {
  it('a live change never writes an older live file or moves "running" back over an apply', async () => {
    const u = setup();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const executed: string[] = [];
    const live = createRuntimeChangeService({
      generations: u.generations,
      store: u.store,
      // HAProxy is slow to answer the live command: an apply of a newer generation comes first.
      runtime: {
        execute: async (c) => {
          executed.push(c);
          await gate;
          return '';
        },
        showServersState: () => Promise.resolve([]),
        dumpServersState: () => Promise.resolve('1\n'),
      },
      apply: u.apply,
      log: () => undefined,
    });
    const drained = live.changeServer('web/s1', { state: 'drain' }, { author: 't', message: '' });
    u.change(); // generation 3, on top of the live change's generation 2
    const applied = u.apply.apply();
    await new Promise((r) => setTimeout(r, 20));
    release();
    const [d, a] = await Promise.all([drained, applied]);
    expect(d.generation.number).toBe(2);
    expect(a.generation).toBe(3);
    // Whatever the order, the unit ends on the newest generation, on disk and as "running".
    expect(u.store.running()).toBe(3);
    expect(u.files.get(PATHS.config)).toContain('generation 3');
  });
});
