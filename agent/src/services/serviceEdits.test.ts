import {
  nodeUnder,
  parseApplianceConfig,
  parseNodeSettings,
  renderHaproxy,
  TandemError,
  type ApplianceConfig,
} from '@tandem/core';
import { describe, expect, it } from 'vitest';
import { openSqliteConfigStore } from '../store/sqliteConfigStore.js';
import { createGenerationService } from './generations.js';
import { createServiceEdits, type EditContext } from './serviceEdits.js';

const node = (() => {
  const r = parseNodeSettings(nodeUnder('/u'));
  if (!r.ok) throw new Error('fixture');
  return r.value;
})();

function empty(): ApplianceConfig {
  const r = parseApplianceConfig({ schemaVersion: 1, services: [] });
  if (!r.ok) throw new Error('fixture');
  return r.value;
}

function setup() {
  const store = openSqliteConfigStore(':memory:');
  const generations = createGenerationService({
    store,
    clock: { now: () => new Date('2026-11-21T12:00:00Z') },
    unit: 'unit-1',
  });
  generations.commit({ base: null, config: empty(), author: 't', message: '', origin: 'change' });
  store.setRunning(1);
  const edits = createServiceEdits({
    generations,
    render: (config, number) => renderHaproxy(config, { node, generation: number }).config,
    running: () => store.running(),
  });
  const ctx = (over: Partial<EditContext> = {}): EditContext => ({
    base: generations.latest()?.summary.number ?? null,
    author: 'ann',
    message: '',
    ...over,
  });
  const service = (name: string) =>
    generations.latest()?.config.services.find((s) => s.name === name);
  return { store, generations, edits, ctx, service };
}

const web = (port: number, servers = 2) => ({
  name: 'web',
  port,
  servers: Array.from({ length: servers }, (_, i) => ({ address: '198.18.0.10', port: 8081 + i })),
});

function thrown(f: () => unknown): TandemError {
  try {
    f();
  } catch (e) {
    if (e instanceof TandemError) return e;
    throw e;
  }
  throw new Error('expected a TandemError');
}

describe('service edits', () => {
  it('a dry run answers the haproxy.cfg it would render and its diff, and commits nothing', () => {
    const u = setup();
    const r = u.edits.addFromTemplate('http-load-balancing', web(8080), u.ctx({ dryRun: true }));
    if (!('preview' in r)) throw new Error('expected a preview');
    expect(r.preview.haproxyCfg).toMatch(/frontend web\n/);
    expect(r.preview.haproxy).toMatch(/^\+\s*bind \*:8080/m);
    expect(r.preview.haproxy).toMatch(/^--- generation 1 \(running\)/m);
    expect(r.preview.config).toMatch(/^\+.*"name": "web"/m);
    expect(u.generations.latest()?.summary.number).toBe(1);
  });

  it('a dry run still refuses bad input with the fields named', () => {
    const u = setup();
    const e = thrown(() =>
      u.edits.addFromTemplate('http-load-balancing', web(70000), u.ctx({ dryRun: true })),
    );
    expect(e.code).toBe('invalid_template_params');
    expect(e.fields.map((f) => f.path)).toContain('params.port');
  });

  it('edits a service through its template in place, keeping what operators changed live', () => {
    const u = setup();
    u.edits.addFromTemplate(
      'tcp-port-map',
      { name: 'first', port: 9000, servers: [{ address: '198.18.0.9', port: 22 }] },
      u.ctx(),
    );
    u.edits.addFromTemplate('http-load-balancing', web(8080), u.ctx());
    u.edits.addFromTemplate(
      'tcp-port-map',
      { name: 'last', port: 9001, servers: [{ address: '198.18.0.9', port: 23 }] },
      u.ctx(),
    );
    const drained = structuredClone(u.service('web'));
    if (!drained) throw new Error('no web');
    const sv = drained.backends[0]?.servers[1];
    if (!sv) throw new Error('no web2');
    sv.state = 'drain';
    sv.weight = 5;
    const first = drained.backends[0]?.servers[0];
    if (!first) throw new Error('no web1');
    first.weight = 7;
    u.edits.putService('web', drained, u.ctx());

    // web1's weight changes in the parameters too: the edit wins there.
    const params = web(8088, 3);
    const p1 = params.servers[0];
    if (p1) Object.assign(p1, { weight: 2 });
    const r = u.edits.editFromTemplate('web', 'http-load-balancing', params, u.ctx());
    if (!('generation' in r)) throw new Error('expected a commit');
    expect(r.generation.message).toBe('edit web through http-load-balancing');
    const config = u.generations.latest()?.config;
    expect(config?.services.map((s) => s.name)).toEqual(['first', 'web', 'last']);
    const edited = u.service('web');
    expect(edited?.binds[0]?.port).toBe(8088);
    expect(edited?.backends[0]?.servers.map((s) => [s.name, s.state, s.weight])).toEqual([
      ['web1', 'ready', 2],
      ['web2', 'drain', 5],
      ['web3', 'ready', 1],
    ]);
    expect(edited?.template?.params).toMatchObject({ port: 8088 });
  });

  it('replaces every service one instantiation made, and only those', () => {
    const u = setup();
    const db = {
      name: 'db',
      master: { address: '198.18.0.81', port: 3306 },
      replicas: [{ address: '198.18.0.82', port: 3306 }],
    };
    u.edits.addFromTemplate('mysql-read-write', db, u.ctx());
    u.edits.addFromTemplate(
      'mysql-read-write',
      { ...db, name: 'db2', writePort: 4306, readPort: 4307 },
      u.ctx(),
    );
    u.edits.editFromTemplate('db-read', 'mysql-read-write', { ...db, readPort: 3310 }, u.ctx());
    const services = u.generations.latest()?.config.services ?? [];
    expect(services.map((s) => s.name)).toEqual(['db-write', 'db-read', 'db2-write', 'db2-read']);
    expect(services.find((s) => s.name === 'db-read')?.binds[0]?.port).toBe(3310);
    expect(services.find((s) => s.name === 'db2-read')?.binds[0]?.port).toBe(4307);
  });

  it('refuses template edits that cannot be right, and commits nothing', () => {
    const u = setup();
    u.edits.addFromTemplate('http-load-balancing', web(8080), u.ctx());
    u.edits.addFromTemplate(
      'tcp-port-map',
      { name: 'ssh', port: 2222, servers: [{ address: '198.18.0.9', port: 22 }] },
      u.ctx(),
    );
    const plain = structuredClone(u.service('ssh'));
    if (!plain) throw new Error('no ssh');
    delete plain.template;
    u.edits.putService('ssh', plain, u.ctx());
    const before = u.generations.latest()?.summary.number;

    expect(thrown(() => u.edits.editFromTemplate('nope', 'tcp-port-map', {}, u.ctx())).code).toBe(
      'not_found',
    );
    const notTemplated = thrown(() => u.edits.editFromTemplate('ssh', 'tcp-port-map', {}, u.ctx()));
    expect(notTemplated.code).toBe('conflict');
    expect(notTemplated.message).toMatch(/not made from a template/);
    const wrong = thrown(() => u.edits.editFromTemplate('web', 'tcp-port-map', {}, u.ctx()));
    expect(wrong.fields).toEqual([{ path: 'template', message: 'must be http-load-balancing' }]);
    const bad = thrown(() =>
      u.edits.editFromTemplate('web', 'http-load-balancing', web(0), u.ctx()),
    );
    expect(bad.fields.map((f) => f.path)).toContain('params.port');
    const clash = thrown(() =>
      u.edits.editFromTemplate(
        'web',
        'http-load-balancing',
        { ...web(8080), name: 'ssh' },
        u.ctx(),
      ),
    );
    expect(clash.code).toBe('conflict');
    expect(clash.fields).toEqual([{ path: 'params.name', message: 'is already used' }]);
    const port = thrown(() =>
      u.edits.editFromTemplate('web', 'http-load-balancing', web(2222), u.ctx()),
    );
    expect(port.code).toBe('invalid_config');
    expect(u.generations.latest()?.summary.number).toBe(before);
  });

  it('renames through the template: the old name goes, the new one takes its place', () => {
    const u = setup();
    u.edits.addFromTemplate('http-load-balancing', web(8080), u.ctx());
    u.edits.editFromTemplate('web', 'http-load-balancing', { ...web(8080), name: 'site' }, u.ctx());
    expect(u.generations.latest()?.config.services.map((s) => s.name)).toEqual(['site']);
  });
});
