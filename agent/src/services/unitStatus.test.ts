import { parseApplianceConfig, type ServerStateRow } from '@tandem/core';
import { describe, expect, it } from 'vitest';
import { createUnitStatus } from './unitStatus.js';

const config = (() => {
  const r = parseApplianceConfig({
    schemaVersion: 1,
    services: [
      {
        name: 'web',
        mode: 'http',
        binds: [{ address: '127.0.0.1', port: 8080 }],
        defaultBackend: 'app',
        backends: [{ name: 'app', servers: [{ name: 's1', address: '198.18.0.1', port: 80 }] }],
      },
    ],
  });
  if (!r.ok) throw new Error('fixture');
  return r.value;
})();

function status(o: { haproxyUp: boolean; live?: ServerStateRow[] }) {
  return createUnitStatus({
    unitName: 'unit-1',
    store: {
      latest: () => ({ number: 3 }) as never,
      running: () => 2,
    },
    generations: { get: () => ({ config }) as never },
    master: {
      showProc: () =>
        o.haproxyUp
          ? Promise.resolve({
              masterPid: 10,
              reloads: 1,
              version: '2.6.12',
              workers: [{ pid: 11, reloads: 0 }],
              oldWorkers: [],
              oldWorkerUptimes: [],
            })
          : Promise.reject(new Error('no master')),
    },
    runtime: { showServersState: () => Promise.resolve(o.live ?? []) },
    oldWorkers: { list: () => Promise.resolve([]) },
    apply: { lastApply: () => null },
    ingest: null,
    sampler: null,
  });
}

describe('unit status', () => {
  it('reports generations, HAProxy and the drift between the model and what runs', async () => {
    const s = await status({
      haproxyUp: true,
      live: [
        {
          backend: 'web.app',
          server: 's1',
          address: '198.18.0.1',
          port: 80,
          opState: 2,
          adminState: 0x01,
          userWeight: 1,
        },
      ],
    }).read();
    expect(s).toMatchObject({
      unit: 'unit-1',
      desired: 3,
      running: 2,
      pending: true,
      haproxy: { running: true, version: '2.6.12', workerPid: 11 },
      drift: [{ server: 'web.app/s1', field: 'state', running: 'ready', live: 'maint' }],
      logs: null,
      stats: null,
    });
  });

  it('answers with HAProxy down: not running, drift unknown', async () => {
    const s = await status({ haproxyUp: false }).read();
    expect(s.haproxy).toMatchObject({ running: false, version: null, oldWorkers: [] });
    expect(s.drift).toBeNull();
  });
});
