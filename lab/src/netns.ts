import { run } from './run.js';

/**
 * Network namespace primitives over `ip` (iproute2), argv only. Every name the lab creates
 * starts with its prefix, so `down` can find and remove them even when the state file is lost.
 */
export const ip = (...args: string[]) => run(['ip', ...args]);

/** argv that runs a command inside a namespace. */
export const inNs = (ns: string, argv: readonly string[]) => ['ip', 'netns', 'exec', ns, ...argv];

export async function listNetns(prefix: string): Promise<string[]> {
  const { stdout } = await run(['ip', '-j', 'netns', 'list'], { allowFail: true });
  const list = stdout.trim() === '' ? [] : (JSON.parse(stdout) as { name: string }[]);
  return list.map((n) => n.name).filter((n) => n.startsWith(prefix));
}

export async function addNetns(ns: string): Promise<void> {
  await ip('netns', 'add', ns);
  await ip('-n', ns, 'link', 'set', 'dev', 'lo', 'up');
}

/** A veth pair: `inside` named `ifname` in `ns`, its peer `peer` in `peerNs`, both up. */
export async function addVeth(o: { ns: string; ifname: string; peerNs: string; peer: string }) {
  // Created inside the namespaces directly: no temporary name in the host namespace to clash.
  await ip(
    '-n',
    o.peerNs,
    'link',
    'add',
    'name',
    o.peer,
    'type',
    'veth',
    'peer',
    'name',
    o.ifname,
    'netns',
    o.ns,
  );
  await ip('-n', o.ns, 'link', 'set', 'dev', o.ifname, 'up');
  await ip('-n', o.peerNs, 'link', 'set', 'dev', o.peer, 'up');
}

/** PIDs of every process whose network namespace is `ns`. */
export async function netnsPids(ns: string): Promise<number[]> {
  const { stdout } = await run(['ip', 'netns', 'pids', ns], { allowFail: true });
  return stdout
    .split('\n')
    .map((l) => Number(l.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}

/** Kills every process in the namespace, then removes it (its veths go with it). */
export async function removeNetns(ns: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const pids = await netnsPids(ns);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        // A frozen process must be resumed to die of SIGKILL promptly on every kernel.
        process.kill(pid, 'SIGCONT');
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await run(['ip', 'netns', 'delete', ns], { allowFail: true });
}
