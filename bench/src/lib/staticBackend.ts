import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fast backend for benchmarks: its own HAProxy answering 200 "ok" from memory, so the backend
 * is never the bottleneck of what is measured. Also used to run a hand-written reference config.
 */
export async function startHaproxyWith(
  configText: string,
  readyPort: number,
): Promise<{ pid: number; stop: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'tandem-bench-'));
  const cfg = join(dir, 'haproxy.cfg');
  await writeFile(cfg, configText);
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', cfg], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  while (!(await accepts(readyPort))) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`haproxy for ${cfg} did not start`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    pid: child.pid ?? 0,
    async stop() {
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await done;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The global and defaults sections shared by the benchmark's hand-written configs. */
export const MINIMAL_PREAMBLE = [
  'global',
  '    maxconn 4096',
  'defaults',
  '    mode http',
  '    timeout connect 5s',
  '    timeout client 30s',
  '    timeout server 30s',
];

export function staticBackendConfig(port: number): string {
  return [
    ...MINIMAL_PREAMBLE,
    'frontend backend',
    `    bind 127.0.0.1:${port}`,
    '    http-request return status 200 content-type text/plain string ok',
    '',
  ].join('\n');
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
