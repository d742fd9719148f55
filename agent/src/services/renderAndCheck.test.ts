import {
  nodeUnder,
  parseApplianceConfig,
  parseNodeSettings,
  type ApplianceConfig,
  type NodeSettings,
} from '@tandem/core';
import { describe, expect, it } from 'vitest';
import { createFakeFileWriter } from '../adapters/atomicFiles.js';
import { createFakeHaproxyChecker } from '../adapters/fakeHaproxyChecker.js';
import { renderAndCheck } from './renderAndCheck.js';

function fixtures(): { config: ApplianceConfig; node: NodeSettings } {
  const config = parseApplianceConfig({
    schemaVersion: 1,
    services: [
      {
        name: 'web',
        mode: 'http',
        binds: [{ address: '*', port: 80 }],
        hostMap: { entries: [{ host: 'a.example.com', backend: 'app' }] },
        defaultBackend: 'app',
        backends: [{ name: 'app', servers: [{ name: 's1', address: '198.18.0.1', port: 80 }] }],
      },
    ],
  });
  const node = parseNodeSettings(nodeUnder('/u'));
  if (!config.ok || !node.ok) throw new Error('fixtures');
  return { config: config.value, node: node.value };
}

describe('renderAndCheck', () => {
  it('writes the map files and the config, then checks the config', async () => {
    const { writer, files } = createFakeFileWriter();
    const { checker, calls } = createFakeHaproxyChecker();
    const r = await renderAndCheck(
      { files: writer, checker },
      { ...fixtures(), configPath: '/u/candidate.cfg', generation: 3 },
    );
    expect(r.ok).toBe(true);
    expect(r.errors).toEqual([]);
    expect([...files.keys()]).toEqual([
      '/u/maps/web.hosts.map',
      '/u/server-state',
      '/u/candidate.cfg',
      '/u/server-state.check',
    ]);
    expect(files.get('/u/candidate.cfg')).toContain('generation 3');
    // Checked against an empty state (a saved DOWN server is a warning, not a config error); the
    // running file loads the real one, seeded empty until the first save.
    expect(files.get('/u/candidate.cfg')).toContain('server-state-file /u/server-state.check\n');
    expect(r.bundle.config).toContain('server-state-file /u/server-state\n');
    expect(files.get('/u/server-state')).toBe('1\n');
    expect(files.get('/u/server-state.check')).toBe('1\n');
    expect(calls).toEqual(['/u/candidate.cfg']);
  });

  it('maps a failed check back to the field behind the line', async () => {
    const { writer } = createFakeFileWriter();
    const probe = await renderAndCheck(
      { files: writer, checker: createFakeHaproxyChecker().checker },
      { ...fixtures(), configPath: '/u/c.cfg' },
    );
    const serverLine =
      probe.bundle.config.split('\n').findIndex((l) => l.includes('server s1')) + 1;
    const { checker } = createFakeHaproxyChecker({
      ok: false,
      diagnostics: [
        { severity: 'alert', file: '/u/c.cfg', line: serverLine, message: 'bad server' },
      ],
    });
    const r = await renderAndCheck(
      { files: writer, checker },
      { ...fixtures(), configPath: '/u/c.cfg' },
    );
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual([
      { path: 'services[0].backends[0].servers[0]', message: 'HAProxy alert: bad server' },
    ]);
  });
});
