import { AuditQuery, TandemError } from '@tandem/core';
import { parse } from './routeParsing.js';
import type { AuthService } from '../services/auth.js';
import type { Route } from './router.js';

const need = (t: string | null) => {
  if (!t) throw new TandemError('unauthorized', 'sign in first');
  return t;
};

/** Sign-in, sessions, users and the audit log (docs/console-auth.md). */
export function createAuthRoutes(auth: AuthService): Route[] {
  return [
    {
      method: 'GET',
      path: '/v1/auth/state',
      summary:
        'Whether the unit still needs its first admin (setup with the token from the agent log)',
      handler: () => ({ setupRequired: auth.setupRequired() }),
    },
    {
      method: 'POST',
      path: '/v1/auth/setup',
      summary: 'Create the first admin with the one-time setup token; returns a session',
      handler: ({ body, source }) => auth.setup(body, source),
    },
    {
      method: 'POST',
      path: '/v1/auth/login',
      summary: 'Sign in (rate-limited per account and source); returns a session token',
      handler: ({ body, source }) => auth.login(body, source),
    },
    {
      method: 'POST',
      path: '/v1/auth/logout',
      summary: 'End this session',
      handler: ({ session, source }) => {
        auth.logout(need(session), source);
        return { ok: true };
      },
    },
    {
      method: 'GET',
      path: '/v1/auth/setup-token',
      summary:
        "The one-time setup token while no user exists (the console needs a session for this, so only the unit's own operator reads it)",
      handler: () => ({ token: auth.currentSetupToken() }),
    },
    {
      method: 'GET',
      path: '/v1/auth/session',
      summary: "This session's user, role, expiry and sudo window",
      handler: ({ session }) => auth.check(need(session)),
    },
    {
      method: 'POST',
      path: '/v1/auth/sudo',
      summary: 'Re-enter the password: opens the terminal for 10 minutes',
      handler: ({ session, body, source }) => auth.sudo(need(session), body, source),
    },
    {
      method: 'POST',
      path: '/v1/auth/password',
      summary: "Change this user's password (other sessions of the user end)",
      handler: async ({ session, body, source }) => {
        await auth.changePassword(need(session), body, source);
        return { ok: true };
      },
    },
    {
      method: 'GET',
      path: '/v1/auth/users',
      summary: 'Console users and their roles',
      handler: () => auth.users(),
    },
    {
      method: 'POST',
      path: '/v1/auth/users',
      summary: 'Add a user (admin or read-only)',
      handler: ({ author, body, source }) => auth.addUser(author, body, source),
    },
    {
      method: 'DELETE',
      path: '/v1/auth/users/:name',
      summary: 'Remove a user (not the last admin); their sessions end',
      handler: ({ author, params, source }) => {
        auth.removeUser(author, params.name ?? '', source);
        return { ok: true };
      },
    },
    {
      method: 'POST',
      path: '/v1/auth/users/:name/password',
      summary: "Set a user's password (admin, or the local operator: recovery); their sessions end",
      handler: async ({ author, params, body, source }) => {
        await auth.resetPassword(author, params.name ?? '', body, source);
        return { ok: true };
      },
    },
    {
      method: 'POST',
      path: '/v1/auth/two-factor/start',
      summary:
        'Begin two-factor sign-in (password again): a new secret, its otpauth URI and QR code',
      handler: ({ session, body }) => auth.twoFactor.start(need(session), body),
    },
    {
      method: 'POST',
      path: '/v1/auth/two-factor/confirm',
      summary: "The app's first code confirms it: kept, with 10 recovery codes (shown once)",
      handler: ({ session, body, source }) => auth.twoFactor.confirm(need(session), body, source),
    },
    {
      method: 'POST',
      path: '/v1/auth/two-factor/recovery-codes',
      summary: 'New recovery codes (password and a code again); the old ones stop working',
      handler: ({ session, body, source }) =>
        auth.twoFactor.renewRecoveryCodes(need(session), body, source),
    },
    {
      method: 'POST',
      path: '/v1/auth/two-factor/off',
      summary: "Turn this user's two-factor sign-in off (password and a code again)",
      handler: async ({ session, body, source }) => {
        await auth.twoFactor.turnOff(need(session), body, source);
        return { ok: true };
      },
    },
    {
      method: 'DELETE',
      path: '/v1/auth/users/:name/two-factor',
      summary:
        "Remove a user's second factor (admin, or the local operator: a lost phone); their sessions end",
      handler: ({ author, params, source }) => {
        auth.twoFactor.removeFor(author, params.name ?? '', source);
        return { ok: true };
      },
    },
    {
      method: 'GET',
      path: '/v1/auth/policy',
      summary: 'The sign-in policy: whether admins must use two-factor sign-in',
      handler: () => auth.twoFactor.policy(),
    },
    {
      method: 'PUT',
      path: '/v1/auth/policy',
      summary:
        'Set the sign-in policy (admins; requiring two-factor needs your own first); the pair shares it',
      handler: ({ author, session, body, source }) =>
        auth.twoFactor.setPolicy(author, session, body, source),
    },
    {
      method: 'GET',
      path: '/v1/audit',
      summary:
        'The audit log, newest first: who did what, when and from where; filters user, kind, q, from, to, before',
      handler: ({ query }) => auth.auditLog(parse(AuditQuery, Object.fromEntries(query))),
    },
  ];
}
