import { execFile } from 'node:child_process';
import { TandemError } from '@tandem/core';

/** Runs keepalived's own configuration test (`keepalived -t`). */
export interface KeepalivedChecker {
  check(configPath: string): Promise<{ ok: boolean; messages: string[] }>;
}

/**
 * keepalived skips what it does not like with a log line and carries on (design rule 4), and
 * `-t` still exits 0 for some of those. So any line it prints counts as a failure: Tandem renders
 * configs that keepalived accepts silently. `-t` also checks that the interfaces exist, so it
 * runs where the unit's interfaces are (inside its namespace in the lab).
 */
export function createKeepalivedChecker(
  command: readonly string[] = ['keepalived'],
): KeepalivedChecker {
  const [binary = 'keepalived', ...prefix] = command;
  return {
    check(configPath) {
      return new Promise((resolve, reject) => {
        execFile(
          binary,
          [...prefix, '--config-test', '--log-console', '--use-file', configPath],
          { timeout: 30_000 },
          (error, stdout, stderr) => {
            const e = error as (NodeJS.ErrnoException & { code?: unknown }) | null;
            if (e && typeof e.code === 'string') {
              reject(new TandemError('keepalived_unavailable', `cannot run ${binary}: ${e.code}`));
              return;
            }
            const messages = `${stdout}\n${stderr}`
              .split('\n')
              .map((l) => l.trim())
              .filter((l) => l !== '');
            resolve({
              ok: error === null && messages.length === 0,
              messages: [...new Set(messages)],
            });
          },
        );
      });
    },
  };
}
