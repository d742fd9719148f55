import { execFile } from 'node:child_process';
import { TandemError, type CheckDiagnostic } from '@tandem/core';

export interface CheckResult {
  ok: boolean;
  diagnostics: CheckDiagnostic[];
}

/** Runs HAProxy's own configuration check. */
export interface HaproxyChecker {
  check(configPath: string): Promise<CheckResult>;
}

export interface HaproxyCheckerOptions {
  /** The argv that starts HAProxy; `['haproxy']` by default (a chroot or wrapper may precede it). */
  command?: readonly string[];
  /**
   * `-dW`: any warning fails the check. Tandem renders warning-free configs, so a warning means
   * something unexpected (an unresolvable server name, an option HAProxy ignores) that an
   * operator should see before it goes live.
   */
  zeroWarning?: boolean;
  timeoutMs?: number;
}

// [ALERT]    (3018) : config : parsing [/x/haproxy.cfg:48] : error detected in ...
// [WARNING]  (3012) : config : [/x/haproxy.cfg:56] : 'server a/b' : could not resolve ...
const LINE_RE =
  /^\[(ALERT|WARNING)\]\s*\(\d+\)\s*:\s*(?:config\s*:\s*)?(?:parsing\s*)?(?:\[([^\]]+?):(\d+)\]\s*:?\s*)?(.*)$/;
const NOISE_RE =
  /^(Some warnings were found and 'zero-warning' is set|Fatal errors found in configuration|Error\(s\) found in configuration file)/;

export function parseCheckOutput(output: string): CheckDiagnostic[] {
  const out: CheckDiagnostic[] = [];
  for (const raw of output.split('\n')) {
    const m = LINE_RE.exec(raw.trim());
    if (!m) continue;
    const [, level, file, line, message = ''] = m;
    if (NOISE_RE.test(message)) continue;
    out.push({
      severity: level === 'ALERT' ? 'alert' : 'warning',
      ...(file !== undefined ? { file } : {}),
      ...(line !== undefined ? { line: Number(line) } : {}),
      message: message.trim(),
    });
  }
  return out;
}

export function createHaproxyChecker(options: HaproxyCheckerOptions = {}): HaproxyChecker {
  const [binary = 'haproxy', ...prefix] = options.command ?? ['haproxy'];
  return {
    check(configPath) {
      const args = [...prefix, '-c', ...(options.zeroWarning ? ['-dW'] : []), '-f', configPath];
      return new Promise((resolve, reject) => {
        execFile(
          binary,
          args,
          { timeout: options.timeoutMs ?? 30_000 },
          (error, stdout, stderr) => {
            const spawnError = error as (NodeJS.ErrnoException & { code?: unknown }) | null;
            if (spawnError && typeof spawnError.code === 'string') {
              reject(
                new TandemError('haproxy_unavailable', `cannot run ${binary}: ${spawnError.code}`),
              );
              return;
            }
            const diagnostics = parseCheckOutput(`${stdout}\n${stderr}`);
            resolve({ ok: error === null, diagnostics });
          },
        );
      });
    },
  };
}
