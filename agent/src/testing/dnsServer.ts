import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeTcpPort } from './agentProcess.js';
import { printed } from './printed.js';

/** An SRV record dnsmasq serves: `_http._tcp.api.test` → target:port, with its weight. */
export interface SrvRecord {
  name: string;
  target: string;
  port: number;
  priority?: number;
  weight?: number;
}

/**
 * A real DNS server for tests: Debian's dnsmasq on 127.0.0.1 and a free port, answering only
 * from what the test gives it. A records live in a hosts file it watches, so `setHosts` changes
 * them while it runs (as a registry would); SRV records are fixed at start. Authoritative for
 * nothing else (no upstream, no /etc/hosts). `stop()` ends it; `start()` brings it back.
 */
export async function startDnsServer(o: { hosts: Record<string, string[]>; srv?: SrvRecord[] }) {
  const dir = await mkdtemp(join(tmpdir(), 'tandem-dns-'));
  const hostsDir = join(dir, 'hosts');
  await mkdir(hostsDir);
  // dnsmasq drops to an unprivileged user: its files must be readable by anyone.
  await chmod(dir, 0o755);
  await chmod(hostsDir, 0o755);
  const port = await freeTcpPort();
  let child: ChildProcess | null = null;

  const setHosts = async (hosts: Record<string, string[]>) => {
    const lines = Object.entries(hosts).flatMap(([name, addrs]) =>
      addrs.map((a) => `${a} ${name}`),
    );
    // Written beside and renamed: dnsmasq sees the whole file or the old one.
    const tmp = join(dir, 'hosts.tmp');
    await writeFile(tmp, `${lines.join('\n')}\n`, { mode: 0o644 });
    await rename(tmp, join(hostsDir, 'records'));
  };
  const start = async () => {
    const args = [
      '--keep-in-foreground',
      '--log-facility=-',
      `--port=${port}`,
      '--listen-address=127.0.0.1',
      '--bind-interfaces',
      '--no-resolv',
      '--no-hosts',
      '--no-poll',
      '--pid-file=',
      '--cache-size=0',
      '--local-ttl=1',
      `--hostsdir=${hostsDir}`,
      ...(o.srv ?? []).map(
        (r) => `--srv-host=${r.name},${r.target},${r.port},${r.priority ?? 0},${r.weight ?? 10}`,
      ),
    ];
    const c = spawn('/usr/sbin/dnsmasq', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    await printed(c, 'started, version', 10_000);
    child = c;
  };
  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((r) => {
      c.once('exit', () => r());
      c.kill('SIGTERM');
    });
  };
  await setHosts(o.hosts);
  await start();
  return {
    address: '127.0.0.1',
    port,
    setHosts,
    start,
    stop,
    async close() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
