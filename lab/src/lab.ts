import { spawn } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createApiClient } from '@tandem/agent/cli/apiClient';
import { CONSOLE_USER, lookupUser } from '@tandem/agent/adapters/systemUsers';
import { PEER_PORT, type ClusterNodes, type ClusterStatus } from '@tandem/core';
import {
  ADDR,
  AGENT_MAIN,
  BACKEND_PORT,
  BACKENDS,
  LAB_DIST,
  labConfig,
  ns,
  UNITS,
  unitDir,
  type LabOptions,
  type UnitId,
} from './labSpec.js';
import { addNetns, addVeth, inNs, ip, listNetns, netnsPids, removeNetns } from './netns.js';
import { run } from './run.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a long-lived process inside a namespace, detached from the lab command, output to a file. */
function spawnIn(
  nsName: string,
  argv: readonly string[],
  logFile: string,
  env: Record<string, string> = {},
) {
  const out = openSync(logFile, 'a');
  const [cmd, ...args] = inNs(nsName, argv);
  const child = spawn(cmd ?? 'ip', args, {
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, ...env },
  });
  child.unref();
  return child.pid ?? 0;
}

export const unitApi = (o: LabOptions, unit: UnitId) =>
  createApiClient(join(unitDir(o, unit), 'agent.sock'), 'lab');

function consoleGroup(): Record<string, string> {
  const user = lookupUser(CONSOLE_USER);
  return user ? { TANDEM_CONSOLE_GROUP: String(user.gid) } : {};
}

/** Starts (or restarts) one unit's agent; it starts HAProxy and keepalived itself. */
export async function startAgent(o: LabOptions, unit: UnitId): Promise<void> {
  const dir = unitDir(o, unit);
  spawnIn(ns(o, unit), ['node', AGENT_MAIN], join(dir, 'agent.log'), {
    TANDEM_STATE_DIR: dir,
    TANDEM_UNIT_NAME: `lab-${unit}`,
    TANDEM_KEEPALIVED: 'child',
    TANDEM_LOG_PORT: '5140',
    TANDEM_ADMIN_PORT: '8404',
    TANDEM_PEER_PORT: String(PEER_PORT),
    // As the appliance's unit file runs it (tandem-agent.service): fewer malloc arenas for the
    // agent's threads, so memory freed by one is used again rather than held per thread, and a
    // young generation of 2 MiB semi-spaces instead of V8's 16 (the soak, docs/performance.md).
    MALLOC_ARENA_MAX: '2',
    NODE_OPTIONS: '--max-semi-space-size=2',
    // A console (in the host's namespace: the socket is a file) may run as its own user.
    ...consoleGroup(),
    ...o.agentEnv,
  });
  await waitFor(`unit ${unit}'s agent API`, 30_000, async () => {
    try {
      await unitApi(o, unit).get('/v1/status');
      return true;
    } catch {
      return false;
    }
  });
}

export async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`lab: ${what} not ready within ${timeoutMs} ms`);
}

/** Builds the namespaces, links, backends and both units, and applies the shared config to each. */
export async function up(o: LabOptions): Promise<void> {
  await down(o);
  await mkdir(o.stateRoot, { recursive: true });
  await writeFile(
    join(o.stateRoot, 'lab.json'),
    `${JSON.stringify({ ...o, startedAt: new Date().toISOString() }, null, 2)}\n`,
  );
  const sw = ns(o, 'sw');
  await addNetns(sw);
  await ip('-n', sw, 'link', 'add', 'name', 'br0', 'type', 'bridge');
  await ip('-n', sw, 'link', 'set', 'dev', 'br0', 'up');
  const hosts: [string, string][] = [
    ...UNITS.map((u): [string, string] => [u, ADDR[u]]),
    ['client', ADDR.client],
    ...BACKENDS.map((b): [string, string] => [b, ADDR[b]]),
  ];
  for (const [name, address] of hosts) {
    const n = ns(o, name);
    await addNetns(n);
    await addVeth({ ns: n, ifname: 'eth0', peerNs: sw, peer: name });
    await ip('-n', sw, 'link', 'set', 'dev', name, 'master', 'br0');
    await ip('-n', n, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
  }
  for (const b of BACKENDS) {
    await mkdir(join(o.stateRoot, b), { recursive: true });
    spawnIn(
      ns(o, b),
      ['node', join(LAB_DIST, 'backendServer.js'), b, String(BACKEND_PORT)],
      join(o.stateRoot, b, 'server.log'),
    );
  }
  for (const u of UNITS) {
    const n = ns(o, u);
    // HAProxy binds the VIP on both units, so the backup serves the instant the VIP arrives.
    await run(inNs(n, ['sysctl', '-q', '-w', 'net.ipv4.ip_nonlocal_bind=1']));
    // Answer ARP only for addresses on the asking interface, and never name another address as
    // the sender of our own ARP requests: a handed-over VIP kept on loopback for a moment must
    // not be announced either way (the image sets the same). Without the second, the unit that
    // handed over, resolving a client it still answers, sent "VIP is at my MAC" as a side
    // effect, and that client's packets went on coming here after the loopback VIP had gone:
    // timeouts at a handover under the soak's 200 clients.
    await run(inNs(n, ['sysctl', '-q', '-w', 'net.ipv4.conf.all.arp_ignore=1']));
    await run(inNs(n, ['sysctl', '-q', '-w', 'net.ipv4.conf.all.arp_announce=2']));
    const dir = unitDir(o, u);
    await mkdir(dir, { recursive: true });
    await startAgent(o, u);
  }
  // The shared config goes to unit a; b joins the pair as a person would (ADR 0015): it shows
  // a one-time code, a pairs with it, and b takes a's configuration and history.
  if (o.pair === false) return;
  const a = unitApi(o, 'a');
  const current = await a.get<{ generation: number }>('/v1/config');
  await a.send('PUT', '/v1/config', {
    base: current.generation,
    config: labConfig(o),
    message: 'lab: shared config',
  });
  await a.send('POST', '/v1/apply', {});
  await pairUnits(o);
  await waitFor('a VRRP master', 20_000, async () => (await holders(o)).length === 1);
}

/**
 * Replaces a unit with a fresh one at the same address, as after a hardware failure: every
 * process in its namespace ends, its state directory is wiped (a new identity, no history), and
 * a new agent starts. Its peer still pins the old certificate until it unpairs and pairs again.
 */
export async function replaceUnit(o: LabOptions, unit: UnitId): Promise<void> {
  for (const pid of await netnsPids(ns(o, unit)))
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  await waitFor(
    `unit ${unit}'s processes gone`,
    10_000,
    async () => (await netnsPids(ns(o, unit))).length === 0,
  );
  const dir = unitDir(o, unit);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await startAgent(o, unit);
}

/**
 * Pairs b with a through the pairing flow, waits until b runs what a runs, then sets both
 * units' own cluster settings from a, as the console's form does: the proposals (the
 * interface on the peer's network, 150 on a, 100 on b).
 */
export async function pairUnits(o: LabOptions): Promise<void> {
  const { code } = await unitApi(o, 'b').send<{ code: string }>(
    'POST',
    '/v1/cluster/pairing-code',
    {},
  );
  await unitApi(o, 'a').send('POST', '/v1/cluster/pair', { address: ADDR.b, code });
  await waitFor('b running what a runs', 30_000, async () => {
    const s = await unitApi(o, 'a').get<ClusterStatus>('/v1/cluster');
    return s.pairing?.runsSame === true;
  });
  const nodes = await unitApi(o, 'a').get<ClusterNodes>('/v1/cluster/nodes');
  for (const v of [nodes.here, nodes.peer]) {
    if (!v?.proposal) throw new Error(`lab: no cluster settings proposed for ${v?.unit ?? 'b'}`);
    await unitApi(o, 'a').send('PUT', `/v1/cluster/nodes/${v.unit}`, { node: v.proposal });
  }
}

/** Removes every namespace with the lab's prefix (and so every process and link in them). */
export async function down(o: LabOptions): Promise<string[]> {
  const names = await listNetns(`${o.prefix}-`);
  // Units first: their agents stop HAProxy and keepalived with them either way (SIGKILL in ns).
  for (const n of names.sort((x, y) => (x.endsWith('-sw') ? 1 : 0) - (y.endsWith('-sw') ? 1 : 0)))
    await removeNetns(n);
  if (existsSync(o.stateRoot)) await rm(o.stateRoot, { recursive: true, force: true });
  return names;
}

/** Which units hold the VIP right now (from the kernel's addresses, not from any agent). */
export async function holders(o: LabOptions): Promise<UnitId[]> {
  const out: UnitId[] = [];
  for (const u of UNITS) {
    const r = await run(['ip', '-j', '-n', ns(o, u), 'addr', 'show', 'dev', 'eth0'], {
      allowFail: true,
    });
    if (r.code === 0 && r.stdout.includes(`"${ADDR.vip}"`)) out.push(u);
  }
  return out;
}

export interface LabStatus {
  prefix: string;
  up: boolean;
  namespaces: string[];
  vip: string;
  vipHolders: UnitId[];
  units: {
    unit: UnitId;
    namespace: string;
    address: string;
    processes: number;
    cluster: ClusterStatus | null;
  }[];
}

export async function status(o: LabOptions): Promise<LabStatus> {
  const names = await listNetns(`${o.prefix}-`);
  const units = [];
  for (const u of UNITS) {
    const n = ns(o, u);
    const cluster = names.includes(n)
      ? await unitApi(o, u)
          .get<ClusterStatus>('/v1/cluster')
          .catch(() => null)
      : null;
    units.push({
      unit: u,
      namespace: n,
      address: ADDR[u],
      processes: names.includes(n) ? (await netnsPids(n)).length : 0,
      cluster,
    });
  }
  return {
    prefix: o.prefix,
    up: names.length > 0,
    namespaces: names,
    vip: ADDR.vip,
    vipHolders: names.length > 0 ? await holders(o) : [],
    units,
  };
}

/** The lab's saved options (from `up`), so later commands act on the same lab. */
export async function savedOptions(o: LabOptions): Promise<LabOptions> {
  const text = await readFile(join(o.stateRoot, 'lab.json'), 'utf8').catch(() => null);
  return text ? { ...o, ...(JSON.parse(text) as Partial<LabOptions>) } : o;
}
