import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startAgent, waitFor } from './lab.js';
import { ADDR, ns, unitDir, type LabOptions, type UnitId } from './labSpec.js';
import { ip, netnsPids } from './netns.js';
import { run } from './run.js';

export const FAULTS = ['link', 'haproxy', 'keepalived', 'agent', 'freeze', 'partition'] as const;
export type Fault = (typeof FAULTS)[number];

/** Processes of one unit, by what they run (`comm`, and the agent by its script). */
async function unitProcesses(o: LabOptions, unit: UnitId) {
  const out: { pid: number; comm: string; agent: boolean }[] = [];
  for (const pid of await netnsPids(ns(o, unit))) {
    const comm = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    out.push({ pid, comm, agent: comm === 'node' && cmdline.includes('agent/dist/main.js') });
  }
  return out;
}

const peerAddress = (unit: UnitId) => ADDR[unit === 'a' ? 'b' : 'a'];

const signal = (pids: number[], sig: NodeJS.Signals) => {
  for (const pid of pids)
    try {
      process.kill(pid, sig);
    } catch {
      // gone already
    }
};

/**
 * Injects one fault into a unit: its link goes down, HAProxy / keepalived / the agent are
 * killed (SIGKILL, no clean-up), every process of the unit is frozen (SIGSTOP), or its packets
 * to the peer are dropped (partition: split brain). Returns the moment the fault took effect.
 */
export async function fail(o: LabOptions, unit: UnitId, how: Fault): Promise<number> {
  const procs = await unitProcesses(o, unit);
  const pick = (f: (p: (typeof procs)[number]) => boolean) => procs.filter(f).map((p) => p.pid);
  await writeFile(join(unitDir(o, unit), 'fault'), `${how}\n`);
  switch (how) {
    case 'link':
      await ip('-n', ns(o, unit), 'link', 'set', 'dev', 'eth0', 'down');
      break;
    case 'haproxy':
      signal(
        pick((p) => p.comm === 'haproxy'),
        'SIGKILL',
      );
      break;
    case 'keepalived':
      signal(
        pick((p) => p.comm === 'keepalived'),
        'SIGKILL',
      );
      break;
    case 'agent':
      signal(
        pick((p) => p.agent),
        'SIGKILL',
      );
      break;
    case 'freeze':
      signal(
        pick(() => true),
        'SIGSTOP',
      );
      break;
    case 'partition':
      // The unit's packets to its peer go to a MAC nobody has (a permanent neighbour entry):
      // VRRP adverts stop getting through while ARP broadcasts and client traffic still flow, so
      // both units end up claiming master.
      await ip(
        '-n',
        ns(o, unit),
        'neigh',
        'replace',
        peerAddress(unit),
        'lladdr',
        '02:00:00:00:00:01',
        'dev',
        'eth0',
        'nud',
        'permanent',
      );
      break;
  }
  // After the action, not before: a request sent while `ip` was still running is not "after".
  return Date.now();
}

/**
 * Undoes a unit's fault: link up, processes resumed, the agent started again if it is gone
 * (it adopts the HAProxy and keepalived that kept running). A killed HAProxy or keepalived is
 * restarted by the agent itself within a second or two; heal waits for that.
 */
export async function heal(o: LabOptions, unit: UnitId): Promise<void> {
  await run(['ip', '-n', ns(o, unit), 'neigh', 'del', peerAddress(unit), 'dev', 'eth0'], {
    allowFail: true,
  });
  await ip('-n', ns(o, unit), 'link', 'set', 'dev', 'eth0', 'up');
  signal(
    (await unitProcesses(o, unit)).map((p) => p.pid),
    'SIGCONT',
  );
  if (!(await unitProcesses(o, unit)).some((p) => p.agent)) await startAgent(o, unit);
  await waitFor(`unit ${unit}'s HAProxy and keepalived`, 20_000, async () => {
    const procs = await unitProcesses(o, unit);
    return procs.some((p) => p.comm === 'haproxy') && procs.some((p) => p.comm === 'keepalived');
  });
  await rm(join(unitDir(o, unit), 'fault'), { force: true });
}
