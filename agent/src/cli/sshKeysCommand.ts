import { readFileSync } from 'node:fs';
import type { SshKeyInfo } from '@tandem/core';
import type { ApiClient } from './apiClient.js';
import { UsageError, type ParsedArgs } from './parseArgs.js';
import { table } from './table.js';

/**
 * `tandemctl ssh-keys [list | add FILE | rm FINGERPRINT]`: the unit's SSH login keys, from the
 * unit's own shell (the console's Settings page is the other way in). `add -` reads the key from
 * stdin.
 */
export async function runSshKeys(
  api: ApiClient,
  a: ParsedArgs,
  out: (line: string) => void,
  json: boolean,
): Promise<number> {
  const [, sub = 'list', arg] = a.positionals;
  switch (sub) {
    case 'list': {
      const keys = await api.get<SshKeyInfo[]>('/v1/system/ssh-keys');
      if (json) out(JSON.stringify(keys, null, 2));
      else if (keys.length === 0) out('no SSH keys: nobody can log in over SSH');
      else
        out(
          table([
            ['TYPE', 'FINGERPRINT', 'COMMENT'],
            ...keys.map((k) => [k.type, k.fingerprint, k.comment]),
          ]),
        );
      return 0;
    }
    case 'add': {
      if (!arg)
        throw new UsageError('tandemctl ssh-keys add needs a public key file (or - for stdin)');
      const key = readFileSync(arg === '-' ? 0 : arg, 'utf8');
      const k = await api.send<SshKeyInfo>('POST', '/v1/system/ssh-keys', { key });
      out(
        json ? JSON.stringify(k, null, 2) : `added ${k.type} ${k.fingerprint} ${k.comment}`.trim(),
      );
      return 0;
    }
    case 'rm': {
      if (!arg) throw new UsageError('tandemctl ssh-keys rm needs a fingerprint (SHA256:…)');
      await api.send('DELETE', `/v1/system/ssh-keys/${encodeURIComponent(arg)}`, undefined);
      out(`removed ${arg}`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command "ssh-keys ${sub}"`);
  }
}
