import { describe, expect, it } from 'vitest';
import { TandemError } from '@tandem/core';
import { code, PW, withAdmin } from '../testing/authWorld.js';
import { totpCode } from './secondFactorCheck.js';

/** An admin "ann" with two-factor sign-in set up; its secret and recovery codes. */
async function enrolled() {
  const w = await withAdmin();
  const e = await w.auth.twoFactor.start(w.token, { password: PW });
  const { recoveryCodes } = w.auth.twoFactor.confirm(w.token, {
    code: totpCode(e.secret, w.now()),
  });
  // The next code: the one that confirmed the enrolment is used up.
  w.advance(30_000);
  return { ...w, secret: e.secret, recoveryCodes };
}
const fieldsOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof TandemError) return { code: e.code, fields: e.fields };
    throw e;
  }
  return { code: 'ok', fields: [] };
};

describe('two-factor sign-in', () => {
  it('enrols with a QR code and a first code; the secret is kept only once confirmed', async () => {
    const w = await withAdmin();
    expect(await code(w.auth.twoFactor.start(w.token, { password: 'wrong' }))).toBe('unauthorized');
    const e = await w.auth.twoFactor.start(w.token, { password: PW });
    expect(e.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(e.uri).toMatch(/^otpauth:\/\/totp\/.*ann\?.*secret=[A-Z2-7]{32}/);
    expect(e.qrSvg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(w.store.user('ann')?.secondFactor).toBeNull();
    // A code for another secret, or a recovery code, does not confirm it.
    expect(
      await fieldsOf(
        Promise.resolve().then(() => w.auth.twoFactor.confirm(w.token, { code: '000000' })),
      ),
    ).toMatchObject({ code: 'bad_request', fields: [{ path: 'code' }] });
    expect(await code(() => w.auth.twoFactor.confirm(w.token, { code: 'abcde-fghij' }))).toBe(
      'bad_request',
    );
    const { recoveryCodes } = w.auth.twoFactor.confirm(w.token, {
      code: totpCode(e.secret, w.now()),
    });
    expect(recoveryCodes).toHaveLength(10);
    for (const c of recoveryCodes) expect(c).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    const kept = w.store.user('ann')?.secondFactor;
    expect(kept?.secret).toBe(e.secret);
    // Only hashes of the recovery codes are kept.
    expect(JSON.stringify(kept)).not.toContain(recoveryCodes[0]);
    expect(w.auth.check(w.token)).toMatchObject({ twoFactor: true, mustEnrol: false });
    // The pending enrolment is gone: confirming again needs a new start.
    expect(await code(() => w.auth.twoFactor.confirm(w.token, { code: '123456' }))).toBe(
      'conflict',
    );
  });

  it('asks for the code after the right password; takes the code once, a recovery code once', async () => {
    const w = await enrolled();
    const login = (extra: object = {}) =>
      fieldsOf(w.auth.login({ name: 'ann', password: PW, ...extra }, '198.18.0.9'));
    expect(await login()).toEqual({
      code: 'unauthorized',
      fields: [{ path: 'code', message: 'required' }],
    });
    // A wrong password says nothing of a code.
    expect(
      await fieldsOf(w.auth.login({ name: 'ann', password: 'nope', code: '123456' }, 'x')),
    ).toEqual({
      code: 'unauthorized',
      fields: [],
    });
    const now = totpCode(w.secret, w.now());
    expect((await login({ code: now })).code).toBe('ok');
    // The same code again (a replay within its 30 s): refused.
    expect(await login({ code: now })).toMatchObject({ fields: [{ path: 'code' }] });
    // A code typed with a space, as apps show it, is taken.
    w.advance(30_000);
    const spaced = totpCode(w.secret, w.now()).replace(/^(\d{3})/, '$1 ');
    expect((await login({ code: spaced })).code).toBe('ok');
    // A recovery code works once, in upper case too, and is gone from the record.
    const rc = w.recoveryCodes[3] ?? '';
    expect((await login({ code: rc.toUpperCase() })).code).toBe('ok');
    expect(await login({ code: rc })).toMatchObject({ code: 'unauthorized' });
    expect(w.store.user('ann')?.secondFactor?.recovery).toHaveLength(9);
    const audit = w.auth.auditLog({ user: 'ann' });
    expect(audit.map((a) => `${a.action} ${a.detail}`)).toContain(
      'login with a recovery code (9 left)',
    );
    expect(audit.map((a) => `${a.action} ${a.detail}`)).toContain(
      'login-failed wrong second-factor code',
    );
  });

  it('counts wrong codes like wrong passwords; asking for the code counts neither way', async () => {
    const w = await enrolled();
    const source = '198.18.0.10';
    const login = (extra: object = {}) =>
      code(w.auth.login({ name: 'ann', password: PW, ...extra }, source));
    // The password alone, then a wrong code, three times: asking did not clear the failures.
    for (let i = 0; i < 3; i++) {
      expect(await login()).toBe('unauthorized');
      expect(await login({ code: '000000' })).toBe('unauthorized');
    }
    expect(await login({ code: totpCode(w.secret, w.now()) })).toBe('too_many_requests');
  });

  it('asks sudo mode for a code too', async () => {
    const w = await enrolled();
    expect(await fieldsOf(w.auth.sudo(w.token, { password: PW }))).toMatchObject({
      fields: [{ path: 'code', message: 'required' }],
    });
    expect(await code(w.auth.sudo(w.token, { password: PW, code: '000000' }))).toBe('unauthorized');
    const s = await w.auth.sudo(w.token, { password: PW, code: totpCode(w.secret, w.now()) });
    expect(s.sudoUntil).toBeGreaterThan(w.now());
  });

  it('renews recovery codes and turns off with the password and a code', async () => {
    const w = await enrolled();
    const { recoveryCodes } = await w.auth.twoFactor.renewRecoveryCodes(w.token, {
      password: PW,
      code: totpCode(w.secret, w.now()),
    });
    expect(recoveryCodes).not.toContain(w.recoveryCodes[0]);
    // The old codes stopped working; a new one proves the user.
    expect(
      await code(w.auth.twoFactor.turnOff(w.token, { password: PW, code: w.recoveryCodes[0] })),
    ).toBe('unauthorized');
    await w.auth.twoFactor.turnOff(w.token, { password: PW, code: recoveryCodes[0] });
    expect(w.store.user('ann')?.secondFactor).toBeNull();
    expect((await w.auth.login({ name: 'ann', password: PW }, 'x')).session.twoFactor).toBe(false);
  });

  it('requires it of admins when the policy says so: read-only until set up, and not turned off', async () => {
    const w = await withAdmin();
    await w.auth.addUser('ann', { name: 'bob', role: 'admin', password: 'another long phrase 9' });
    await w.auth.addUser('ann', {
      name: 'cy',
      role: 'read-only',
      password: 'a third long phrase 7',
    });
    // Not without ann's own second factor (from the console; the local operator may).
    expect(
      await fieldsOf(
        Promise.resolve().then(() =>
          w.auth.twoFactor.setPolicy('ann', w.token, { requireTwoFactorForAdmins: true }),
        ),
      ),
    ).toMatchObject({ code: 'conflict', fields: [{ path: 'requireTwoFactorForAdmins' }] });
    w.auth.twoFactor.setPolicy('local', null, { requireTwoFactorForAdmins: true });
    const bob = await w.auth.login({ name: 'bob', password: 'another long phrase 9' }, 'x');
    expect(bob.session).toMatchObject({ role: 'admin', mustEnrol: true });
    const cy = await w.auth.login({ name: 'cy', password: 'a third long phrase 7' }, 'x');
    expect(cy.session.mustEnrol).toBe(false);
    // Set up, bob is an admin again; turning it off is refused while the policy holds.
    const e = await w.auth.twoFactor.start(bob.token, { password: 'another long phrase 9' });
    w.auth.twoFactor.confirm(bob.token, { code: totpCode(e.secret, w.now()) });
    expect(w.auth.check(bob.token).mustEnrol).toBe(false);
    w.advance(30_000);
    expect(
      await code(
        w.auth.twoFactor.turnOff(bob.token, {
          password: 'another long phrase 9',
          code: totpCode(e.secret, w.now()),
        }),
      ),
    ).toBe('conflict');
    // An admin removes it for a lost phone: bob's sessions end, and he must set it up again.
    w.auth.twoFactor.removeFor('ann', 'bob', '198.18.0.1');
    expect(await code(() => w.auth.check(bob.token))).toBe('unauthorized');
    expect(
      (await w.auth.login({ name: 'bob', password: 'another long phrase 9' }, 'x')).session
        .mustEnrol,
    ).toBe(true);
    expect(w.auth.auditLog({ kind: 'users' }).map((a) => a.action)).toEqual(
      expect.arrayContaining(['two-factor-on', 'two-factor-off', 'sign-in-policy']),
    );
  });
});
