import { describe, expect, it } from 'vitest';
import { createFakeHostInfo } from '../adapters/hostInfo.js';
import { createSystemInfo } from './systemInfo.js';

const host = createFakeHostInfo({
  kernel: '6.1.0-test',
  uptimeSeconds: 3600.4,
  load: [0.5, 0.4, 0.3],
  memory: { totalBytes: 512 * 2 ** 20, freeBytes: 100 * 2 ** 20, agentRssBytes: 90 * 2 ** 20 },
  disk: { path: '/var/lib/tandem', totalBytes: 8e9, freeBytes: 6e9 },
});

describe('system information', () => {
  const service = (showProc: () => Promise<{ version: string }>) =>
    createSystemInfo({
      unitName: 'unit-1',
      host,
      master: { showProc: showProc as never },
      versions: { tandem: '0.1.0', keepalived: '2.3.1' },
      nodeVersion: '20.20.2',
      agent: () => ({ uptimeSeconds: 59.6, configBytes: 1000, telemetryBytes: 2000 }),
    });

  it('puts the host, the agent and the running HAProxy together', async () => {
    const info = await service(() => Promise.resolve({ version: '3.0.11' })).read();
    expect(info).toMatchObject({
      unit: 'unit-1',
      versions: { tandem: '0.1.0', keepalived: '2.3.1', node: '20.20.2', haproxy: '3.0.11' },
      kernel: '6.1.0-test',
      systemUptimeSeconds: 3600,
      agentUptimeSeconds: 60,
      disk: { path: '/var/lib/tandem', freeBytes: 6e9 },
      databases: { configBytes: 1000, telemetryBytes: 2000 },
    });
  });

  it('says no HAProxy version when its master does not answer, and still answers', async () => {
    const info = await service(() => Promise.reject(new Error('down'))).read();
    expect(info.versions.haproxy).toBeNull();
    expect(info.memory.totalBytes).toBe(512 * 2 ** 20);
  });
});
