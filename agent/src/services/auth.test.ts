import { TandemError } from '@tandem/core';
import { describe, expect, it } from 'vitest';
import { code, PW, withAdmin, world } from '../testing/authWorld.js';

describe('auth', () => {
  it('sets up the first admin only with the one-time token, once', async () => {
    const w = world();
    expect(w.auth.setupRequired()).toBe(true);
    expect(w.auth.currentSetupToken()).toBeNull();
    const t = w.auth.newSetupToken();
    expect(t).toMatch(/^[A-Za-z0-9_-]{24}$/);
    // The local operator can read it (tandemctl setup-token) until the first admin exists.
    expect(w.auth.currentSetupToken()).toBe(t);
    expect(await code(w.auth.setup({ token: 'wrong', name: 'ann', password: PW }))).toBe(
      'unauthorized',
    );
    expect(await code(w.auth.setup({ token: t, name: 'ann', password: 'short' }))).toBe(
      'bad_request',
    );
    const s = await w.auth.setup({ token: t, name: 'ann', password: PW });
    expect(s.session).toMatchObject({ user: 'ann', role: 'admin' });
    expect(await code(w.auth.setup({ token: t, name: 'bob', password: PW }))).toBe('conflict');
    expect(w.auth.newSetupToken()).toBeNull();
    expect(w.auth.currentSetupToken()).toBeNull();
    // The token is never stored in the clear.
    expect(JSON.stringify(w.store.meta('setup_token_sha256'))).not.toContain(t ?? 'x');
  });

  it('signs in, checks and ends sessions; idle sessions expire', async () => {
    const w = await withAdmin();
    const s = await w.auth.login({ name: 'ann', password: PW }, '127.0.0.1');
    expect(w.auth.check(s.token).user).toBe('ann');
    w.advance(29 * 60_000);
    expect(w.auth.check(s.token).user).toBe('ann');
    w.advance(31 * 60_000);
    expect(await code(() => w.auth.check(s.token))).toBe('unauthorized');
    const s2 = await w.auth.login({ name: 'ann', password: PW }, '127.0.0.1');
    w.auth.logout(s2.token);
    expect(await code(() => w.auth.check(s2.token))).toBe('unauthorized');
    expect(await code(() => w.auth.check(null))).toBe('unauthorized');
  });

  it('slows the address that guesses, with the wait in the answer, and never the owner', async () => {
    const w = await withAdmin();
    const wrong = { name: 'ann', password: 'nope nope nope' };
    for (let i = 0; i < 3; i++)
      expect(await code(w.auth.login(wrong, '198.18.0.66'))).toBe('unauthorized');
    const refused = await w.auth.login(wrong, '198.18.0.66').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TandemError);
    expect(refused).toMatchObject({ code: 'too_many_requests', retryAfterMs: 1_000 });
    expect((refused as Error).message).toMatch(/try again in 1 s/);
    // The right password from the guessing address waits too; from another address it works.
    expect(await code(w.auth.login({ name: 'ann', password: PW }, '198.18.0.66'))).toBe(
      'too_many_requests',
    );
    expect(await code(w.auth.login({ name: 'ann', password: PW }, '10.0.0.9'))).toBe('ok');
    w.advance(1_000);
    expect(await code(w.auth.login(wrong, '198.18.0.66'))).toBe('unauthorized');
    expect(w.auth.auditLog().filter((a) => a.action === 'login-failed')).toHaveLength(4);
  });

  it('refuses common and guessable passwords with the reason, wherever one is set', async () => {
    const w = await withAdmin();
    const weak = async (p: Promise<unknown>) => {
      const e = await p.catch((x: unknown) => x);
      expect(e).toBeInstanceOf(TandemError);
      return e as TandemError;
    };
    const added = await weak(
      w.auth.addUser('ann', { name: 'rob', role: 'admin', password: 'password1234' }),
    );
    expect(added.code).toBe('bad_request');
    expect(added.fields).toEqual([
      {
        path: 'password',
        message: expect.stringMatching(/^too easy to guess: .*commonly used password/),
      },
    ]);
    // The user's own name and the product's are words a guesser tries first.
    const named = await weak(
      w.auth.addUser('ann', { name: 'robertson', role: 'admin', password: 'robertson1234' }),
    );
    expect(named.fields[0]?.path).toBe('password');
    const reset = await weak(w.auth.resetPassword('ann', 'ann', { password: 'qwertyuiopasdf' }));
    expect(reset.fields[0]?.path).toBe('password');
    const change = await weak(
      w.auth.changePassword(w.token, { current: PW, next: 'tandem tandem tandem' }),
    );
    expect(change.fields[0]?.path).toBe('next');
    // A passphrase of uncommon words is fine.
    await w.auth.addUser('ann', {
      name: 'rob',
      role: 'admin',
      password: 'violet kettle orbit sleeve',
    });
  });

  it('keeps who did what from where, and filters it by user, kind, word and time', async () => {
    const w = await withAdmin();
    await w.auth.login({ name: 'ann', password: PW }, '198.18.0.5');
    await code(w.auth.login({ name: 'ann', password: 'not the password' }, '198.18.0.66'));
    w.advance(60_000);
    w.auth.audit('ann', 'POST /v1/apply', 'generation 4', '198.18.0.5');
    w.auth.audit('ann', 'POST /v1/rollback', 'generation 5', '198.18.0.5');
    w.auth.audit('ann', 'terminal-opened', '', '198.18.0.5');
    const actions = (f: Parameters<typeof w.auth.auditLog>[0]) =>
      w.auth.auditLog(f).map((a) => `${a.action} ${a.source}`);
    expect(actions({ kind: 'failed-sign-in' })).toEqual(['login-failed 198.18.0.66']);
    expect(actions({ kind: 'sign-in' })).toEqual([
      'login-failed 198.18.0.66',
      'login 198.18.0.5',
      'setup ',
    ]);
    expect(actions({ kind: 'change' })).toEqual([
      'POST /v1/rollback 198.18.0.5',
      'POST /v1/apply 198.18.0.5',
    ]);
    expect(actions({ kind: 'terminal' })).toEqual(['terminal-opened 198.18.0.5']);
    expect(actions({ q: '0.66' })).toEqual(['login-failed 198.18.0.66']);
    // LIKE's wildcards are plain characters in a search.
    expect(actions({ q: '%' })).toEqual([]);
    expect(actions({ user: 'nobody' })).toEqual([]);
    const newest = w.auth.auditLog({ limit: 2 });
    expect(newest.map((a) => a.action)).toEqual(['terminal-opened', 'POST /v1/rollback']);
    expect(w.auth.auditLog({ limit: 1, before: newest[1]?.id }).map((a) => a.action)).toEqual([
      'POST /v1/apply',
    ]);
    const t = newest[0]?.at ?? 0;
    expect(actions({ from: t })).toHaveLength(3);
    expect(actions({ to: t })).toHaveLength(3);
  });

  it('meets parallel wrong attempts with the same limit as sequential ones', async () => {
    const w = await withAdmin();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        code(w.auth.login({ name: 'ann', password: 'nope nope nope' }, '198.18.0.66')),
      ),
    );
    expect(answers.filter((a) => a === 'unauthorized')).toHaveLength(3);
    expect(answers.filter((a) => a === 'too_many_requests')).toHaveLength(47);
  });

  it('opens sudo mode for ten minutes with the password', async () => {
    const w = await withAdmin();
    expect(w.auth.check(w.token).sudoUntil).toBeNull();
    expect(await code(w.auth.sudo(w.token, { password: 'wrong wrong wrong' }))).toBe(
      'unauthorized',
    );
    const s = await w.auth.sudo(w.token, { password: PW });
    expect(s.sudoUntil).toBeGreaterThan(0);
    w.advance(9 * 60_000);
    expect(w.auth.check(w.token).sudoUntil).not.toBeNull();
    w.advance(2 * 60_000);
    expect(w.auth.check(w.token).sudoUntil).toBeNull();
  });

  it('ends sessions and sudo mode when the clock steps back, rather than stretch them by the step', async () => {
    const w = await withAdmin();
    const s = await w.auth.login({ name: 'ann', password: PW }, '127.0.0.1');
    await w.auth.sudo(s.token, { password: PW });
    // Half a minute back (an NTP correction) changes nothing.
    w.advance(-30_000);
    expect(w.auth.check(s.token).sudoUntil).not.toBeNull();
    // A day back: the session seems to come from tomorrow, and its sudo to last a day more.
    w.advance(-86_400_000);
    expect(await code(() => w.auth.check(s.token))).toBe('unauthorized');
    const again = await w.auth.login({ name: 'ann', password: PW }, '127.0.0.1');
    expect(w.auth.check(again.token).user).toBe('ann');
    // A day forward: idle for a day, so ended too.
    w.advance(86_400_000);
    expect(await code(() => w.auth.check(again.token))).toBe('unauthorized');
  });

  it('never keeps sudo mode past its ten minutes after the clock moved back within the slack', async () => {
    const w = await withAdmin();
    await w.auth.sudo(w.token, { password: PW });
    w.advance(9 * 60_000);
    w.advance(-50_000);
    expect(w.auth.check(w.token).sudoUntil).not.toBeNull();
    w.advance(2 * 60_000);
    expect(w.auth.check(w.token).sudoUntil).toBeNull();
  });

  it('manages users, keeps the last admin, and ends other sessions on a password change', async () => {
    const w = await withAdmin();
    await w.auth.addUser('ann', { name: 'rob', role: 'read-only', password: PW });
    expect(await code(w.auth.addUser('ann', { name: 'rob', role: 'admin', password: PW }))).toBe(
      'conflict',
    );
    expect(w.auth.users().map((u) => `${u.name}:${u.role}`)).toEqual([
      'ann:admin',
      'rob:read-only',
    ]);
    expect(await code(() => w.auth.removeUser('ann', 'ann'))).toBe('conflict');
    const other = await w.auth.login({ name: 'ann', password: PW }, 'x');
    await w.auth.changePassword(w.token, { current: PW, next: 'another long passphrase' });
    expect(w.auth.check(w.token).user).toBe('ann');
    expect(await code(() => w.auth.check(other.token))).toBe('unauthorized');
    const robSession = await w.auth.login({ name: 'rob', password: PW }, 'x');
    expect(await code(w.auth.resetPassword('ann', 'rob', { password: 'short' }))).toBe(
      'bad_request',
    );
    await w.auth.resetPassword('ann', 'rob', { password: 'reset by the operator' });
    expect(await code(() => w.auth.check(robSession.token))).toBe('unauthorized');
    expect(await code(w.auth.login({ name: 'rob', password: 'reset by the operator' }, 'x'))).toBe(
      'ok',
    );
    w.auth.removeUser('ann', 'rob');
    expect(w.auth.users()).toHaveLength(1);
  });

  it("a unit that joins a pair yields its users: the inviter's admin stays signed in", async () => {
    const inviter = await withAdmin();
    inviter.advance(60_000);
    // The joiner was set up later, with an admin of the same name and another password.
    const joiner = world();
    joiner.advance(120_000);
    await joiner.auth.setup({
      token: joiner.auth.newSetupToken() ?? '',
      name: 'ann',
      password: 'another long passphrase',
    });
    await joiner.auth.addUser('ann', { name: 'bob', role: 'read-only', password: PW });
    joiner.auth.yieldUsersToPeer('unit-a');
    // A sync round from the inviter: it takes what is newer on the joiner, then the joiner takes its set.
    expect(inviter.auth.takeUserRecords(joiner.auth.userRecords(), 'unit-b')).toBe(1);
    expect(inviter.auth.check(inviter.token).user).toBe('ann');
    joiner.auth.takeUserRecords(inviter.auth.userRecords(), 'unit-a');
    expect(joiner.auth.usersDigest()).toBe(inviter.auth.usersDigest());
    expect(await code(joiner.auth.login({ name: 'ann', password: PW }, '198.18.0.9'))).toBe('ok');
  });
});
