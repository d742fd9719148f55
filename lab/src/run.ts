import { execFile } from 'node:child_process';

/** Runs one command from an argv array (never a shell string) and returns its stdout. */
export function run(
  argv: readonly string[],
  opts: { allowFail?: boolean; timeoutMs?: number } = {},
) {
  const [cmd, ...args] = argv;
  if (cmd === undefined) throw new Error('empty command');
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    execFile(cmd, args, { timeout: opts.timeoutMs ?? 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      if (code !== 0 && !opts.allowFail)
        reject(new Error(`${argv.join(' ')} exited ${code}: ${stderr.trim() || stdout.trim()}`));
      else resolve({ code, stdout, stderr });
    });
  });
}
