import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic, type FileWriter } from '@tandem/agent/adapters/atomicFiles';

/**
 * An installed HAProxy to test against: the host's (Debian 12: 2.6) and, when
 * scripts/ensure-compat-root.sh has built it, Debian 13's (3.0) in a chroot. Paths inside a
 * runtime are what the config names; hostPath() is where the test writes them.
 */
export interface HaproxyRuntime {
  label: string;
  /** HAProxy's filesystem root ('' for the host). */
  root: string;
  /** argv that runs HAProxy with the given arguments. */
  command: readonly string[];
  hostPath(insidePath: string): string;
  /** A fresh directory as seen from inside the runtime; removed by cleanup(). */
  tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }>;
  /** Writes files at their inside paths. */
  files: FileWriter;
}

const COMPAT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../.tandem/compat/trixie');

function runtime(label: string, root: string, command: readonly string[]): HaproxyRuntime {
  const hostPath = (p: string) => (root === '' ? p : join(root, p));
  return {
    label,
    root,
    command,
    hostPath,
    files: {
      write: (path, content, mode) => writeFileAtomic(hostPath(path), content, mode),
      read: (path) => readFile(hostPath(path), 'utf8').catch(() => null),
      rename: (from, to) => rename(hostPath(from), hostPath(to)).catch(() => undefined),
    },
    async tempDir(prefix) {
      const base = root === '' ? '/tmp' : join(root, 'tmp');
      await mkdir(base, { recursive: true });
      const host = await mkdtemp(join(base, `tandem-${prefix}-`));
      const dir = root === '' ? host : host.slice(root.length);
      return { dir, cleanup: () => rm(host, { recursive: true, force: true }) };
    },
  };
}

export function haproxyRuntimes(): HaproxyRuntime[] {
  const list = [runtime('host HAProxy', '', ['haproxy'])];
  if (existsSync(join(COMPAT_ROOT, 'usr/sbin/haproxy'))) {
    list.push(runtime('Debian 13 HAProxy 3.0', COMPAT_ROOT, ['chroot', COMPAT_ROOT, 'haproxy']));
  } else if (process.env.CI) {
    // In CI (root, mirror reachable) the appliance's HAProxy must be tested, never silently skipped.
    throw new Error(
      'Debian 13 HAProxy root missing: scripts/ensure-compat-root.sh did not build it',
    );
  } else {
    console.warn(
      'Testing the host HAProxy only: run scripts/ensure-compat-root.sh (as root) to add HAProxy 3.0',
    );
  }
  return list;
}

/**
 * The agent daemon running HAProxy from this runtime, with its state in a fresh directory (and
 * `env` added to its environment).
 */
export async function startAgentOn(
  rt: HaproxyRuntime,
  prefix: string,
  adminPort: number,
  env: Record<string, string> = {},
) {
  const { startAgent } = await import('@tandem/agent/testing/agentProcess');
  const tmp = await rt.tempDir(prefix);
  const agent = await startAgent(rt.hostPath(tmp.dir), adminPort, {
    env,
    ...(rt.root === '' ? {} : { haproxyCommand: rt.command, haproxyRoot: rt.root }),
  });
  return { agent, cleanup: tmp.cleanup };
}
