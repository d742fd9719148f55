import { execFile } from 'node:child_process';

/**
 * A program's version from `<argv> --version` (first `v1.2.3`-like word of its output), or null
 * when it is not installed or says nothing recognisable. keepalived prints it on stderr.
 */
export function programVersion(argv: readonly string[]): Promise<string | null> {
  const [binary, ...prefix] = argv;
  if (!binary) return Promise.resolve(null);
  return new Promise((resolve) => {
    execFile(binary, [...prefix, '--version'], { timeout: 5_000 }, (_error, stdout, stderr) => {
      const m = /\bv?(\d+\.\d+(?:\.\d+)?[\w.+~-]*)/.exec(`${stdout}\n${stderr}`);
      resolve(m?.[1] ?? null);
    });
  });
}
