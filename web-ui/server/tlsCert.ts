import { watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The console's certificate is the agent's (`console/console.crt` and `.key` in the unit's state
 * directory: self-signed at first start, replaced by an upload). The console waits for the files
 * (and for the agent to grant its group read access) at start, and reloads them whenever the
 * agent writes new ones.
 */
export async function readCertificate(dir: string, timeoutMs = 30_000) {
  const cert = join(dir, 'console.crt');
  const key = join(dir, 'console.key');
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return { cert: await readFile(cert), key: await readFile(key) };
    } catch (e) {
      if (Date.now() > until)
        throw new Error(
          `cannot read the certificate in ${dir} (${e instanceof Error ? e.message : String(e)}): is the agent running, with TANDEM_CONSOLE_GROUP set to this user's group?`,
          { cause: e },
        );
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/**
 * Calls `reload` with the new pair after the agent replaced it (debounced: two files change).
 * A pair that does not load (read between the two writes, or a key that does not match) keeps
 * the certificate in use and is tried again: thrown from a file watcher it would end the console.
 */
export function watchCertificate(
  dir: string,
  reload: (tls: { cert: Buffer; key: Buffer }) => void,
  o: { log?: (m: string) => void; retries?: number; debounceMs?: number } = {},
) {
  let timer: NodeJS.Timeout | null = null;
  const log = o.log ?? ((m: string) => console.error(`console: ${m}`));
  const attempt = (left: number) => {
    timer = setTimeout(() => {
      readCertificate(dir, 1_000)
        .then(reload)
        .catch((e: unknown) => {
          const why = e instanceof Error ? e.message : String(e);
          if (left > 0) return attempt(left - 1);
          log(`the new certificate did not load, the previous one stays: ${why}`);
        });
    }, o.debounceMs ?? 200);
  };
  const w = watch(dir, () => {
    if (timer) clearTimeout(timer);
    attempt(o.retries ?? 5);
  });
  return {
    close: () => {
      if (timer) clearTimeout(timer);
      w.close();
    },
  };
}
