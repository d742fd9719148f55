import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/**
 * keepalived as a child of the agent (dev and lab units; on the appliance systemd runs it with a
 * `Restart=` drop-in). A keepalived left running by an earlier agent (killed, upgraded) is
 * adopted rather than restarted: restarting it would move the VIPs for nothing.
 */
export interface KeepalivedProcess {
  start(): Promise<void>;
  /** Re-reads keepalived.conf (SIGHUP): instances keep their state unless their settings changed. */
  reload(): void;
  stop(): Promise<void>;
  pid(): number | null;
  /** True when start() found a keepalived from an earlier agent and kept it. */
  adopted(): boolean;
  /** Recent console lines (the failover timing reads why a backup took over). */
  recentLog(): readonly { at: number; text: string }[];
}

export interface KeepalivedOptions {
  command: readonly string[];
  configPath: string;
  pidFile: string;
  vrrpPidFile: string;
  /** Called when a keepalived this launcher started or adopted is gone. */
  onExit: (why: string) => void;
  onLine?: (text: string) => void;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export function createKeepalivedLauncher(o: KeepalivedOptions): KeepalivedProcess {
  let child: ChildProcess | null = null;
  let adopted: number | null = null;
  let watch: NodeJS.Timeout | null = null;
  let stopping = false;
  const lines: { at: number; text: string }[] = [];
  const onText = (chunk: Buffer) => {
    for (const raw of chunk.toString('utf8').split('\n')) {
      // keepalived prefixes its own timestamp; ours is the one that counts.
      const text = raw.replace(/^\w{3} \w{3} +\d+ [\d:]+ \d{4}: /, '').trim();
      if (text === '') continue;
      lines.push({ at: Date.now(), text });
      if (lines.length > 200) lines.splice(0, lines.length - 200);
      o.onLine?.(text);
    }
  };

  const stalePid = async (): Promise<number | null> => {
    const pid = Number((await readFile(o.pidFile, 'utf8').catch(() => '')).trim());
    if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return null;
    const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
    return comm.trim() === 'keepalived' ? pid : null;
  };

  return {
    async start() {
      stopping = false;
      const old = await stalePid();
      if (old !== null) {
        adopted = old;
        // No exit event for a process we did not start: look every half second.
        watch = setInterval(() => {
          if (adopted !== null && !alive(adopted)) {
            adopted = null;
            if (watch) clearInterval(watch);
            if (!stopping) o.onExit('the adopted keepalived exited');
          }
        }, 500);
        watch.unref();
        return;
      }
      const [bin = 'keepalived', ...prefix] = o.command;
      const c = spawn(
        bin,
        [
          ...prefix,
          '--dont-fork',
          '--log-console',
          // Detail includes why a backup took over (advert timeout or the master's resignation).
          '--log-detail',
          '--vrrp',
          '--use-file',
          o.configPath,
          '--pid',
          o.pidFile,
          '--vrrp_pid',
          o.vrrpPidFile,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child = c;
      c.stdout.on('data', onText);
      c.stderr.on('data', onText);
      c.on('exit', (code, signal) => {
        if (child === c) child = null;
        if (!stopping) o.onExit(`keepalived exited (${code ?? signal ?? '?'})`);
      });
      await new Promise<void>((resolve, reject) => {
        c.once('spawn', resolve);
        c.once('error', reject);
      });
    },
    reload() {
      const pid = child?.pid ?? adopted;
      if (pid) process.kill(pid, 'SIGHUP');
    },
    async stop() {
      stopping = true;
      if (watch) clearInterval(watch);
      const pid = child?.pid ?? adopted;
      if (!pid) return;
      const c = child;
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        return;
      }
      // keepalived removes its VIPs and sends a priority-0 advert before it exits.
      for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
      if (alive(pid)) process.kill(pid, 'SIGKILL');
      if (c === child) child = null;
      adopted = null;
    },
    pid: () => child?.pid ?? adopted,
    adopted: () => adopted !== null,
    recentLog: () => lines,
  };
}
