import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface StoreCheck {
  /** `PRAGMA integrity_check` of each database that exists, by file name ('ok' when sound). */
  integrity: Record<string, string>;
  /** The committed generations in the config store: number → hash. */
  generations: Map<number, string>;
}

/**
 * Tests only: what a unit's databases hold while its agent is down (after a kill -9), read the way
 * the next start will find them. Read-only, so the check neither checkpoints nor removes the
 * write-ahead log the agent must recover from itself.
 */
export function checkStores(stateDir: string): StoreCheck {
  const integrity: Record<string, string> = {};
  let generations = new Map<number, string>();
  for (const file of ['tandem.db', 'telemetry.db', 'auth.db']) {
    const path = join(stateDir, file);
    if (!existsSync(path)) continue;
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const rows = db.pragma('integrity_check') as { integrity_check: string }[];
      integrity[file] = rows.map((r) => r.integrity_check).join('; ');
      if (file === 'tandem.db')
        generations = new Map(
          (
            db.prepare('SELECT number, hash FROM generations').all() as {
              number: number;
              hash: string;
            }[]
          ).map((r) => [r.number, r.hash]),
        );
    } finally {
      db.close();
    }
  }
  return { integrity, generations };
}
