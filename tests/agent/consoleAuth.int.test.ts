import { join } from 'node:path';
import type { AgentHandle } from '@tandem/agent/testing/agentProcess';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '@tandem/agent/services/secondFactorCheck';
import { haproxyRuntimes, startAgentOn } from '../support/haproxyRuntimes.js';
import { freePort } from '../support/ports.js';
import { call } from '../support/socketCall.js';
import { tandemctl } from '../support/tandemctl.js';

const PW = 'a long enough passphrase';
/**
 * The console socket of a real agent: the agent itself checks every request's session and role
 * (the console server only forwards the token). The operator socket stays as it was.
 */
describe('console sessions, checked by the agent', () => {
  const rt = haproxyRuntimes()[0]!;
  let agent: AgentHandle;
  let cleanup: () => Promise<void>;
  let sock: string;
  beforeAll(async () => {
    ({ agent, cleanup } = await startAgentOn(rt, 'auth', await freePort()));
    sock = join(agent.stateDir, 'console.sock');
  });
  afterAll(async () => {
    await agent.stop();
    await cleanup();
  });

  it('prints a one-time setup token and refuses everything but sign-in until then', async () => {
    expect((await call(sock, 'GET', '/v1/auth/state')).body).toEqual({ setupRequired: true });
    expect((await call(sock, 'GET', '/v1/status')).status).toBe(401);
    const token = /setup token (\S+)/.exec(agent.log())?.[1];
    expect(token).toBeDefined();
    // The unit's own operator reads it (tandemctl setup-token); the console cannot, signed out.
    expect(await agent.api.get('/v1/auth/setup-token')).toEqual({ token });
    expect((await call(sock, 'GET', '/v1/auth/setup-token')).status).toBe(401);
    const bad = await call(sock, 'POST', '/v1/auth/setup', undefined, {
      token: 'nope',
      name: 'ann',
      password: PW,
    });
    expect(bad.status).toBe(401);
    const ok = await call(sock, 'POST', '/v1/auth/setup', undefined, {
      token,
      name: 'ann',
      password: PW,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.session).toMatchObject({ user: 'ann', role: 'admin' });
    expect(await agent.api.get('/v1/auth/setup-token')).toEqual({ token: null });
    const again = await call(sock, 'POST', '/v1/auth/setup', undefined, {
      token,
      name: 'eve',
      password: PW,
    });
    expect(again.status).toBe(409);
  });

  it('lets an admin change things, a read-only user only read, and audits the changes', async () => {
    const admin = await call(sock, 'POST', '/v1/auth/login', undefined, {
      name: 'ann',
      password: PW,
    });
    const t = String(admin.body.token);
    expect((await call(sock, 'GET', '/v1/status', t)).status).toBe(200);
    expect(
      (
        await call(sock, 'POST', '/v1/auth/users', t, {
          name: 'rob',
          role: 'read-only',
          password: PW,
        })
      ).status,
    ).toBe(200);
    const ro = String(
      (await call(sock, 'POST', '/v1/auth/login', undefined, { name: 'rob', password: PW })).body
        .token,
    );
    expect((await call(sock, 'GET', '/v1/config', ro)).status).toBe(200);
    const refused = await call(sock, 'POST', '/v1/apply', ro);
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe('forbidden');
    expect((await call(sock, 'POST', '/v1/apply', t)).status).toBe(200);
    const audit = (await call(sock, 'GET', '/v1/audit', t)).body as unknown as {
      user: string;
      action: string;
    }[];
    expect(audit.map((a) => `${a.user} ${a.action}`)).toEqual(
      expect.arrayContaining(['ann POST /v1/apply', 'ann user-added', 'rob login', 'ann setup']),
    );
    expect(audit.map((a) => `${a.user} ${a.action}`)).not.toContain('rob POST /v1/apply');
    // Signed out: the token opens nothing any more.
    await call(sock, 'POST', '/v1/auth/logout', ro);
    expect((await call(sock, 'GET', '/v1/status', ro)).status).toBe(401);
  });

  it('throttles password guessing; the operator socket is unaffected', async () => {
    // Three free failures, then this address waits (and is told how long).
    for (let i = 0; i < 3; i++)
      expect(
        (
          await call(sock, 'POST', '/v1/auth/login', undefined, {
            name: 'ann',
            password: 'guess guess guess',
          })
        ).status,
      ).toBe(401);
    const held = await call(sock, 'POST', '/v1/auth/login', undefined, {
      name: 'ann',
      password: PW,
    });
    expect(held.status).toBe(429);
    expect(held.body).toMatchObject({ error: { retryAfterMs: expect.any(Number) } });
    // The operator socket is not the console's: tandemctl keeps working for the local operator.
    expect((await agent.api.get<{ unit: string }>('/v1/status')).unit).toBeTruthy();
  });

  it('lets the local operator manage console users with tandemctl (password recovery)', async () => {
    const op = join(agent.stateDir, 'agent.sock');
    const add = await tandemctl(op, ['user', 'add', 'carl', '--role', 'admin'], `${PW}\n`);
    expect(add).toMatchObject({ code: 0 });
    const weak = await tandemctl(op, ['user', 'add', 'dora'], 'short\n');
    expect(weak.code).toBe(1);
    expect(weak.out).toMatch(/password: must be at least 12 characters/);
    const list = await tandemctl(op, ['user', 'list', '--json']);
    expect(JSON.parse(list.out).map((u: { name: string }) => u.name)).toEqual([
      'ann',
      'carl',
      'rob',
    ]);
    const reset = await tandemctl(op, ['user', 'passwd', 'carl'], 'the new long passphrase\n');
    expect(reset.code).toBe(0);
    // From another address: the guessing above slowed 198.18.9.9 only.
    const signIn = () =>
      call(
        sock,
        'POST',
        '/v1/auth/login',
        undefined,
        { name: 'carl', password: 'the new long passphrase' },
        '198.18.9.10',
      );
    const login = await signIn();
    expect(login.status).toBe(200);
    // Two-factor sign-in: carl sets it up; the operator sees it, requires it of admins, and
    // removes carl's (a lost phone): carl's sessions end, and carl must set it up again.
    const carl = String(login.body.token);
    const start = await call(sock, 'POST', '/v1/auth/two-factor/start', carl, {
      password: 'the new long passphrase',
    });
    const code = totpCode(String(start.body.secret), Date.now());
    expect((await call(sock, 'POST', '/v1/auth/two-factor/confirm', carl, { code })).status).toBe(
      200,
    );
    expect((await tandemctl(op, ['user', 'list'])).out).toMatch(/carl\s+admin\s+on/);
    // A usage error: exit status 2, like every other.
    expect((await tandemctl(op, ['user', 'require-2fa', 'maybe'])).code).toBe(2);
    expect((await tandemctl(op, ['user', 'require-2fa', 'on'])).code).toBe(0);
    expect((await tandemctl(op, ['user', '2fa-off', 'carl'])).out).toMatch(/removed/);
    expect((await call(sock, 'GET', '/v1/status', carl)).status).toBe(401);
    const bare = await signIn();
    expect(bare.body).toMatchObject({ session: { twoFactor: false, mustEnrol: true } });
    expect((await tandemctl(op, ['user', 'require-2fa', 'off'])).code).toBe(0);
    expect((await tandemctl(op, ['user', 'rm', 'carl'])).code).toBe(0);
    expect((await call(sock, 'GET', '/v1/status', String(bare.body.token))).status).toBe(401);
  });
});
