import { describe, expect, it } from 'vitest';
import { createHaproxyLauncher } from './haproxyLauncher.js';

describe('HAProxy launcher', () => {
  it('reports a binary that cannot be run instead of ending the agent', async () => {
    const launcher = createHaproxyLauncher({
      command: ['/nonexistent/haproxy'],
      configPath: '/nonexistent/haproxy.cfg',
      masterSocket: '/nonexistent/master.sock',
      masterSocketHost: '/nonexistent/master.sock',
      timeoutMs: 5_000,
    });
    await expect(launcher.start()).rejects.toMatchObject({
      code: 'haproxy_unavailable',
      message: expect.stringMatching(/cannot run \/nonexistent\/haproxy: ENOENT/),
    });
    expect(launcher.running()).toBe(false);
  });
});
