import { readFile } from 'node:fs/promises';
import type { StatusResponse } from '@tandem/core';
import type { ApiClient } from './apiClient.js';
import { flag, UsageError, type ParsedArgs } from './parseArgs.js';

/** `tandemctl backup` (the whole history as JSON on stdout) and `tandemctl restore FILE [--generation N]`. */
export async function runBackup(
  api: ApiClient,
  a: ParsedArgs,
  out: (line: string) => void,
): Promise<number> {
  const [cmd, file] = a.positionals;
  if (cmd === 'backup') {
    out(JSON.stringify(await api.get('/v1/backup'), null, 2));
    return 0;
  }
  if (!file) throw new UsageError('tandemctl restore needs a backup file');
  const backup = JSON.parse(await readFile(file, 'utf8')) as unknown;
  const g = flag(a, 'generation');
  const status = await api.get<StatusResponse>('/v1/status');
  const r = await api.send<{ generation: { number: number } }>('POST', '/v1/restore', {
    base: status.desired,
    backup,
    ...(g ? { generation: Number(g) } : {}),
  });
  out(`restored as generation ${r.generation.number}; run "tandemctl apply" to make it live`);
  return 0;
}
