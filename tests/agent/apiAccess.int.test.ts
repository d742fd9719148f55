import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AgentHandle } from '@tandem/agent/testing/agentProcess';
import { requiredAccess } from '@tandem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyRuntimes, startAgentOn } from '../support/haproxyRuntimes.js';
import { freePort } from '../support/ports.js';
import { call } from '../support/socketCall.js';

const PW = 'a long enough passphrase';

/**
 * The hardening catalogue, API (issue 20; docs/security.md): every route the agent serves, as
 * its own OpenAPI document lists them, asked on the console socket without a session, with a
 * forged one, with one replayed after sign-out, with a read-only one, and as an admin who has
 * not entered the password again. Each is refused by the agent with the right status and code,
 * and nothing changes: the same generation, the same users, the agent still answering.
 */
describe('every endpoint, without the right session', () => {
  const rt = haproxyRuntimes()[0]!;
  let agent: AgentHandle;
  let cleanup: () => Promise<void>;
  let sock: string;
  let routes: { method: string; path: string }[] = [];
  let admin = '';
  let readOnly = '';
  let desired: number | null = null;

  beforeAll(async () => {
    ({ agent, cleanup } = await startAgentOn(rt, 'access', await freePort()));
    sock = join(agent.stateDir, 'console.sock');
    const token = /setup token (\S+)/.exec(agent.log())?.[1];
    const setup = await call(sock, 'POST', '/v1/auth/setup', undefined, {
      token,
      name: 'ann',
      password: PW,
    });
    admin = String(setup.body.token);
    await call(sock, 'POST', '/v1/auth/users', admin, {
      name: 'rob',
      role: 'read-only',
      password: PW,
    });
    readOnly = String(
      (await call(sock, 'POST', '/v1/auth/login', undefined, { name: 'rob', password: PW })).body
        .token,
    );
    desired = (await agent.api.get<{ desired: number | null }>('/v1/status')).desired;
    const doc = await agent.api.get<{ paths: Record<string, Record<string, unknown>> }>(
      '/openapi.json',
    );
    // Each path parameter filled with a plain word: the gate comes before any lookup.
    routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => ({
        method: m.toUpperCase(),
        path: path.replace(/\{[a-z]+\}/g, 'x'),
      })),
    );
  }, 60_000);
  afterAll(async () => {
    await agent?.stop();
    await cleanup?.();
  });

  const gated = () => routes.filter((r) => requiredAccess(r.method, r.path) !== 'public');
  const sweep = async (
    list: { method: string; path: string }[],
    token: string | undefined,
  ): Promise<string[]> => {
    const answers: string[] = [];
    for (const r of list) {
      const a = await call(
        sock,
        r.method,
        r.path,
        token,
        r.method === 'GET' ? undefined : {},
      ).catch((e: unknown) => ({ status: 0, body: { error: { code: String(e) } } }));
      answers.push(`${r.method} ${r.path} ${a.status} ${a.body.error?.code ?? ''}`);
    }
    return answers;
  };
  const all = (list: { method: string; path: string }[], status: number, code: string) =>
    list.map((r) => `${r.method} ${r.path} ${status} ${code}`);

  it('lists the routes from the agent itself (so a new route is swept too)', () => {
    expect(routes.length).toBeGreaterThan(80);
    expect(routes).toContainEqual({ method: 'POST', path: '/v1/apply' });
    expect(routes).toContainEqual({ method: 'DELETE', path: '/v1/auth/users/x' });
  });

  it('refuses every route without a session: 401 unauthorized', async () => {
    expect(await sweep(gated(), undefined)).toEqual(all(gated(), 401, 'unauthorized'));
  }, 120_000);

  it('refuses every route with a forged session: 401 unauthorized', async () => {
    const forged = randomBytes(32).toString('base64url');
    expect(await sweep(gated(), forged)).toEqual(all(gated(), 401, 'unauthorized'));
  }, 120_000);

  it('refuses every route with a session replayed after its sign-out: 401 unauthorized', async () => {
    const t = String(
      (await call(sock, 'POST', '/v1/auth/login', undefined, { name: 'ann', password: PW })).body
        .token,
    );
    expect((await call(sock, 'GET', '/v1/status', t)).status).toBe(200);
    expect((await call(sock, 'POST', '/v1/auth/logout', t, {})).status).toBe(200);
    expect(await sweep(gated(), t)).toEqual(all(gated(), 401, 'unauthorized'));
  }, 120_000);

  it('refuses every change to a read-only session: 403 forbidden', async () => {
    const changes = routes.filter((r) =>
      ['admin', 'sudo'].includes(requiredAccess(r.method, r.path)),
    );
    expect(changes.length).toBeGreaterThan(30);
    expect(await sweep(changes, readOnly)).toEqual(all(changes, 403, 'forbidden'));
  }, 120_000);

  it('refuses every sudo route to an admin who has not entered the password again', async () => {
    const sudo = routes.filter((r) => requiredAccess(r.method, r.path) === 'sudo');
    expect(sudo.length).toBeGreaterThan(3);
    expect(await sweep(sudo, admin)).toEqual(all(sudo, 403, 'forbidden'));
  }, 120_000);

  it('refuses path traversal in every name that becomes a file or a lookup', async () => {
    const dots = ['../../etc/passwd', '..', '/etc/shadow', 'a/../../b', 'con\u0000.pem'];
    for (const name of dots) {
      const upload = await call(sock, 'POST', '/v1/certificates', admin, { name, pem: 'x' });
      expect(upload.status, name).toBe(400);
      expect(JSON.stringify(upload.body), name).toMatch(/"path":"name"/);
      const asked = await call(sock, 'GET', `/v1/certificates/${encodeURIComponent(name)}`, admin);
      expect([400, 404], name).toContain(asked.status);
      const removed = await call(
        sock,
        'DELETE',
        `/v1/certificates/${encodeURIComponent(name)}`,
        admin,
      );
      expect([400, 404], name).toContain(removed.status);
    }
  });

  it('changed nothing: no generation, no user, and the agent still answers', async () => {
    expect((await agent.api.get<{ desired: number | null }>('/v1/status')).desired).toBe(desired);
    const users = (await call(sock, 'GET', '/v1/auth/users', admin)).body as unknown as {
      name: string;
    }[];
    expect(users.map((u) => u.name).sort()).toEqual(['ann', 'rob']);
  });
});
