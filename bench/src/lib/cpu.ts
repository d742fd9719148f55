import { readdir, readFile } from 'node:fs/promises';

const TICKS_PER_SECOND = 100; // Linux USER_HZ

/** CPU seconds (user + system, all threads) a process has used so far; 0 once it is gone. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  if (stat === '') return 0;
  // Fields after the command name (which may contain spaces): utime is 14th, stime 15th overall.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Processes whose command line contains `text` (an HAProxy's config path, say). */
export async function pidsWith(text: string): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const cmd = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '');
    if (cmd.replaceAll('\0', ' ').includes(text)) pids.push(Number(name));
  }
  return pids;
}

/**
 * CPU seconds used since the call by the processes whose command line contains `text` (an
 * HAProxy's config path: its master and workers). Processes that exit meanwhile (an old worker
 * finishing after a reload) are left out: their last reading is gone with them.
 */
export async function cpuSince(text: string): Promise<() => Promise<number>> {
  const start = new Map<number, number>();
  for (const pid of await pidsWith(text)) start.set(pid, await cpuSeconds(pid));
  return async () => {
    let used = 0;
    for (const pid of await pidsWith(text)) {
      const now = await cpuSeconds(pid);
      if (now > 0) used += now - (start.get(pid) ?? 0);
    }
    return used;
  };
}

/**
 * CPU seconds so far of a process's threads in three parts: its main thread, the threads at the
 * lowest priority (the agent's log indexer runs at nice 19), and every other thread (the log
 * writer, V8's and libuv's helpers).
 */
export async function threadCpu(
  pid: number,
): Promise<{ main: number; niced: number; other: number }> {
  const out = { main: 0, niced: 0, other: 0 };
  for (const tid of await readdir(`/proc/${pid}/task`).catch(() => [] as string[])) {
    const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => '');
    if (stat === '') continue;
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpu = (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND;
    if (Number(tid) === pid) out.main += cpu;
    else if (Number(f[16]) === 19) out.niced += cpu;
    else out.other += cpu;
  }
  return out;
}
