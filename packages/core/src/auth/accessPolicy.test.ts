import { describe, expect, it } from 'vitest';
import { allows, requiredAccess } from './accessPolicy.js';
import { Password } from './authSchemas.js';

describe('requiredAccess', () => {
  it.each([
    ['GET', '/v1/auth/state', 'public'],
    ['POST', '/v1/auth/login', 'public'],
    ['POST', '/v1/auth/setup', 'public'],
    ['POST', '/v1/auth/logout', 'read'],
    ['POST', '/v1/auth/password', 'read'],
    ['GET', '/v1/status', 'read'],
    ['GET', '/v1/logs', 'read'],
    ['POST', '/v1/apply', 'admin'],
    ['PUT', '/v1/config', 'admin'],
    ['DELETE', '/v1/auth/users/x', 'admin'],
    ['POST', '/v1/auth/users', 'admin'],
    ['GET', '/v1/terminal', 'sudo'],
    ['POST', '/v1/cluster/pair', 'sudo'],
    ['POST', '/v1/cluster/pairing-code', 'sudo'],
    ['POST', '/v1/cluster/unpair', 'sudo'],
    ['GET', '/v1/system/ssh-keys', 'read'],
    ['POST', '/v1/system/ssh-keys', 'sudo'],
    ['DELETE', '/v1/system/ssh-keys/SHA256:abc', 'sudo'],
    ['POST', '/v1/cluster/sync', 'admin'],
    ['POST', '/v1/anything-new', 'admin'],
  ])('%s %s needs %s', (method, path, want) => expect(requiredAccess(method, path)).toBe(want));

  it('lets read-only users read and nothing else; the terminal needs sudo', () => {
    expect(allows('read-only', false, 'read')).toBe(true);
    expect(allows('read-only', true, 'admin')).toBe(false);
    expect(allows('admin', false, 'admin')).toBe(true);
    expect(allows('admin', false, 'sudo')).toBe(false);
    expect(allows('admin', true, 'sudo')).toBe(true);
  });
});

describe('Password', () => {
  it.each([
    ['short', false],
    ['correct horse battery', true],
    ['x'.repeat(257), false],
    ['twelve chars\n!', false],
  ])('%j valid: %s', (pw, ok) => expect(Password.safeParse(pw).success).toBe(ok));
});
