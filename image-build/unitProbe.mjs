/**
 * How the boot test talks to the unit in the VM: HTTPS to the console (the unit's certificate is
 * its own, self-signed) and SSH with a key the test added through the console, as an
 * administrator would.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { sleep } from './qemuVm.mjs';

/** Polls `check` until it gives a truthy value; a thrown error counts as "not yet". */
export async function until(what, timeoutMs, check) {
  const end = Date.now() + timeoutMs;
  let last = null;
  while (Date.now() < end) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(1000);
  }
  throw new Error(
    `boot test: ${what} not within ${timeoutMs / 1000} s${last ? ` (${last.message})` : ''}`,
  );
}

/** One HTTPS request to a forwarded port. */
export function https(port, method, path, { body, cookie } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        rejectUnauthorized: false,
        // A connection per request: Node 20 keeps connections alive by default, and one the
        // console closed after its idle timeout, reused at that moment, fails with "socket hang
        // up" (what the boot test met after its slow SSH step).
        agent: false,
        timeout: 20_000,
        headers: {
          origin: `https://127.0.0.1:${port}`,
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...(cookie ? { cookie } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode, text, headers: res.headers }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

/** The console's API as a signed-in administrator: JSON in, JSON out, any other status throws. */
export function consoleApi(port, cookie) {
  return async (method, path, body) => {
    const r = await https(port, method, `/api${path}`, { cookie, body }).catch((e) => {
      throw new Error(`boot test: ${method} ${path}: ${e.message}`);
    });
    if (r.status !== 200)
      throw new Error(`boot test: ${method} ${path} answered ${r.status}: ${r.text}`);
    return JSON.parse(r.text);
  };
}

/** Signs in (setup or login) and returns the session cookie. */
export async function signIn(port, path, body) {
  const r = await https(port, 'POST', `/api${path}`, { body });
  if (r.status !== 200) throw new Error(`boot test: ${path} answered ${r.status}: ${r.text}`);
  return String(r.headers['set-cookie']?.[0] ?? '').split(';')[0];
}

/** SSH to the unit as root with the test's key; returns stdout, throws on failure. */
export function sshTo(port, keyFile) {
  return (command) =>
    execFileSync(
      'ssh',
      [
        ...['-i', keyFile, '-p', String(port), '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes'],
        ...['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null'],
        ...['-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=10', 'root@127.0.0.1', command],
      ],
      // One command under TCG on a busy host: Node starting in the guest alone can take a minute.
      { stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 },
    ).toString();
}

/**
 * The SSH host key the unit shows (made at its first boot, kept on the data partition). Right
 * after a boot, give it the boot's own bound: under TCG sshd comes up 2 min or more after power on.
 */
export const sshHostKey = (port, timeoutMs = 120_000) =>
  until('the SSH server', timeoutMs, async () =>
    execFileSync('ssh-keyscan', ['-T', '5', '-t', 'ed25519', '-p', String(port), '127.0.0.1'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .split(' ')
      .at(-1)
      ?.trim(),
  );

/**
 * Resident memory of what Tandem adds, read on the unit: the agent and the console (when it
 * runs), with HAProxy and keepalived (what the unit proxies with) apart. MiB.
 */
export function memoryOnUnit(ssh) {
  const rows = ssh('ps -eo rss=,args=')
    .trim()
    .split('\n')
    .map((l) => {
      const [, rss, args] = /^\s*(\d+)\s+(.*)$/.exec(l) ?? [];
      return { mib: Number(rss) / 1024, args: args ?? '' };
    });
  const sum = (re) => rows.filter((r) => re.test(r.args)).reduce((s, r) => s + r.mib, 0);
  const agent = sum(/\/usr\/lib\/tandem\/agent\/dist\/main\.js/);
  const console_ = sum(/\/usr\/lib\/tandem\/web-ui\/dist-server\/server\.js/);
  const round = (n) => Math.round(n * 10) / 10;
  return {
    agentMiB: round(agent),
    consoleMiB: round(console_),
    tandemMiB: round(agent + console_),
    haproxyMiB: round(sum(/^\/usr\/sbin\/haproxy|^haproxy/)),
    keepalivedMiB: round(sum(/keepalived/)),
  };
}

/** Waits until the console answers over HTTPS on `port`. */
export const consoleUp = (port, timeoutMs, who = 'the console') =>
  until(
    `${who} over HTTPS`,
    timeoutMs,
    async () => (await https(port, 'GET', '/api/v1/auth/state')).status === 200,
  );

/**
 * The setup token on a serial log: whole tokens only (the serial console interleaves lines), and
 * the last one printed (each start of the agent makes a new token and voids the one before).
 */
export function setupToken(serialLog) {
  const token = [...serialLog.matchAll(/setup token ([A-Za-z0-9_-]{24})(?![A-Za-z0-9_-])/g)].at(
    -1,
  )?.[1];
  if (!token) throw new Error('no setup token on the serial console');
  return token;
}

/** The first administrator, made with the token: the console's API as them. */
export const firstAdmin = async (port, token, password) =>
  consoleApi(port, await signIn(port, '/v1/auth/setup', { token, name: 'admin', password }));

/** A tcp-port-map service on 8443 to the unit's own console, applied: something to serve. */
export async function mapConsole(api, message) {
  const [latest] = await api('GET', '/v1/generations?limit=1');
  await api('POST', '/v1/services', {
    base: latest.number,
    template: 'tcp-port-map',
    params: { name: 'console-map', port: 8443, servers: [{ address: '127.0.0.1', port: 443 }] },
    message,
  });
  return api('POST', '/v1/apply', {});
}

/** Lets the public key file log in over SSH, as an admin in sudo mode does in the console. */
export async function addSshKey(api, password, publicKeyFile) {
  await api('POST', '/v1/auth/sudo', { password });
  await api('POST', '/v1/system/ssh-keys', { key: readFileSync(publicKeyFile, 'utf8') });
}
