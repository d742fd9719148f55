import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentHandle } from '@tandem/agent/testing/agentProcess';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyRuntimes, startAgentOn } from '../support/haproxyRuntimes.js';
import { freePort, waitForPort } from '../support/ports.js';
import { call } from '../support/socketCall.js';

const PW = 'a long enough passphrase';
const TANDEMCTL = fileURLToPath(new URL('../../agent/bin/tandemctl.js', import.meta.url));

/**
 * SSH login keys end to end: added in the console (an admin in sudo mode) or with tandemctl,
 * written by the agent, and read by a real sshd, which lets the key in and, once the key is
 * removed, out again. The appliance's own sshd settings are checked by the image's boot test.
 */
describe('SSH login keys through a real sshd', () => {
  const rt = haproxyRuntimes()[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'tandem-ssh-'));
  let agent: AgentHandle;
  let cleanup: () => Promise<void>;
  let sshd: ChildProcess;
  let port: number;
  let token: string;
  const key = (name: string) => {
    execFileSync('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      '',
      '-C',
      name,
      '-f',
      join(dir, name),
    ]);
    return readFileSync(join(dir, `${name}.pub`), 'utf8');
  };
  const login = (name: string) =>
    spawnSync(
      'ssh',
      [
        ...['-i', join(dir, name), '-p', String(port), '-o', 'BatchMode=yes'],
        ...['-o', 'IdentitiesOnly=yes', '-o', 'StrictHostKeyChecking=no'],
        ...['-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR'],
        'root@127.0.0.1',
        'echo logged-in',
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );

  beforeAll(async () => {
    ({ agent, cleanup } = await startAgentOn(rt, 'ssh', await freePort()));
    const sock = join(agent.stateDir, 'console.sock');
    const setupToken = /setup token (\S+)/.exec(agent.log())?.[1];
    const ok = await call(sock, 'POST', '/v1/auth/setup', undefined, {
      token: setupToken,
      name: 'ann',
      password: PW,
    });
    token = String(ok.body.token);
    port = await freePort();
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host')]);
    // The test's state directory is under /tmp (world-writable): StrictModes would refuse any
    // file below it. The appliance keeps StrictModes on (its data partition is 0711/0700).
    writeFileSync(
      join(dir, 'sshd_config'),
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${join(dir, 'host')}`,
        `AuthorizedKeysFile ${join(agent.stateDir, 'ssh', 'authorized_keys')}`,
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin prohibit-password',
        'StrictModes no',
        'UsePAM no',
        'PidFile none',
      ].join('\n'),
    );
    mkdirSync('/run/sshd', { recursive: true });
    sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], {
      stdio: 'ignore',
    });
    await waitForPort(port);
  });
  afterAll(async () => {
    sshd?.kill();
    await agent?.stop();
    await cleanup?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets nobody in until a key is added, and adding one needs sudo mode', async () => {
    const sock = join(agent.stateDir, 'console.sock');
    const pub = key('ann');
    expect(login('ann').status).not.toBe(0);
    const refused = await call(sock, 'POST', '/v1/system/ssh-keys', token, { key: pub });
    expect(refused.status).toBe(403);
    expect((await call(sock, 'POST', '/v1/auth/sudo', token, { password: PW })).status).toBe(200);
    const bad = await call(sock, 'POST', '/v1/system/ssh-keys', token, { key: 'ssh-ed25519 AAAA' });
    expect(bad.status).toBe(400);
    const added = await call(sock, 'POST', '/v1/system/ssh-keys', token, { key: pub });
    expect(added.status).toBe(200);
    expect(login('ann').stdout.trim()).toBe('logged-in');
    // The agent writes the file as sshd wants it: root's, 0600.
    const mode = execFileSync('stat', ['-c', '%a', join(agent.stateDir, 'ssh', 'authorized_keys')]);
    expect(mode.toString().trim()).toBe('600');
    const audit = await call(sock, 'GET', '/v1/audit', token);
    expect(JSON.stringify(audit.body)).toContain('POST /v1/system/ssh-keys');
  });

  it('adds a key with tandemctl, and a removed key no longer logs in', async () => {
    const sock = join(agent.stateDir, 'console.sock');
    const pub = key('bob');
    const c = spawnSync(
      process.execPath,
      [TANDEMCTL, '--socket', join(agent.stateDir, 'agent.sock'), 'ssh-keys', 'add', '-'],
      { input: pub, encoding: 'utf8' },
    );
    expect(c.stdout).toMatch(/^added ssh-ed25519 SHA256:\S+ bob/);
    expect(login('bob').stdout.trim()).toBe('logged-in');
    const listed = await call(sock, 'GET', '/v1/system/ssh-keys', token);
    const list = listed.body as unknown as { fingerprint: string; comment: string }[];
    expect(list.map((k) => k.comment)).toEqual(['ann', 'bob']);
    const fp = list.find((k) => k.comment === 'bob')!.fingerprint;
    const gone = await call(sock, 'DELETE', `/v1/system/ssh-keys/${encodeURIComponent(fp)}`, token);
    expect(gone.status).toBe(200);
    expect(login('bob').status).not.toBe(0);
    expect(login('ann').stdout.trim()).toBe('logged-in');
  });
});
