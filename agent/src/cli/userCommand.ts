import { createInterface } from 'node:readline';
import type { ApiClient } from './apiClient.js';
import { flag, UsageError, type ParsedArgs } from './parseArgs.js';
import { table } from './table.js';

/**
 * A password from stdin: typed without echo on a terminal, or the first line of a pipe (so
 * scripts need not put it on the command line, where `ps` would show it).
 */
export async function readSecret(prompt: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    const rl = createInterface({ input });
    for await (const line of rl) return line;
    return '';
  }
  process.stderr.write(prompt);
  input.setRawMode(true);
  return new Promise((resolve) => {
    let text = '';
    const onData = (b: Buffer) => {
      for (const ch of b.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          input.setRawMode(false);
          input.off('data', onData);
          input.pause();
          process.stderr.write('\n');
          resolve(text);
          return;
        }
        if (ch === '\u0003') process.exit(130);
        text = ch === '\u007f' ? text.slice(0, -1) : text + ch;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}

/**
 * `tandemctl user list|add NAME [--role R]|rm NAME|passwd NAME|2fa-off NAME|require-2fa on|off`:
 * console users, for the operator (the recovery path when nobody can sign in).
 */
export async function runUser(
  api: ApiClient,
  a: ParsedArgs,
  out: (line: string) => void,
  json: boolean,
): Promise<number> {
  const [, sub, name] = a.positionals;
  const needName = () => {
    if (!name) throw new UsageError(`tandemctl user ${sub ?? ''} needs a user name`);
    return name;
  };
  switch (sub ?? 'list') {
    case 'list': {
      const users =
        await api.get<{ name: string; role: string; createdAt: number; twoFactor: boolean }[]>(
          '/v1/auth/users',
        );
      out(
        json
          ? JSON.stringify(users, null, 2)
          : table([
              ['user', 'role', '2fa', 'created'],
              ...users.map((u) => [
                u.name,
                u.role,
                u.twoFactor ? 'on' : 'off',
                new Date(u.createdAt).toISOString(),
              ]),
            ]),
      );
      return 0;
    }
    case 'add': {
      const role = flag(a, 'role') ?? 'read-only';
      const password = await readSecret(`password for ${needName()}: `);
      await api.send('POST', '/v1/auth/users', { name: needName(), role, password });
      out(`user ${needName()} added (${role})`);
      return 0;
    }
    case 'passwd': {
      const password = await readSecret(`new password for ${needName()}: `);
      await api.send('POST', `/v1/auth/users/${encodeURIComponent(needName())}/password`, {
        password,
      });
      out(`password of ${needName()} set; their sessions ended`);
      return 0;
    }
    case '2fa-off':
      // A lost phone and no recovery code left: the password alone signs in, then set up anew.
      await api.send('DELETE', `/v1/auth/users/${encodeURIComponent(needName())}/two-factor`, {});
      out(`two-factor sign-in of ${needName()} removed; their sessions ended`);
      return 0;
    case 'require-2fa': {
      if (name !== 'on' && name !== 'off')
        throw new UsageError('tandemctl user require-2fa takes on or off');
      await api.send('PUT', '/v1/auth/policy', { requireTwoFactorForAdmins: name === 'on' });
      out(`two-factor sign-in ${name === 'on' ? 'required' : 'optional'} for admins`);
      return 0;
    }
    case 'rm':
      await api.send('DELETE', `/v1/auth/users/${encodeURIComponent(needName())}`, {});
      out(`user ${needName()} removed`);
      return 0;
    default:
      throw new UsageError(`unknown user command "${sub ?? ''}"`);
  }
}
