import type { ChildProcess } from 'node:child_process';

/**
 * Resolves when `child` prints `text` (stdout or stderr: what a test server says when it is
 * ready); rejects if it exits first or stays silent for `timeoutMs`.
 */
export function printed(child: ChildProcess, text: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`no "${text}" within ${timeoutMs} ms: ${seen}`)),
      timeoutMs,
    );
    const hear = (b: Buffer) => {
      if (seen.length < 10_000) seen += b.toString();
      if (seen.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', hear);
    child.stderr?.on('data', hear);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before "${text}": ${seen}`));
    });
  });
}
