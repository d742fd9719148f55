import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentHandle } from '@tandem/agent/testing/agentProcess';
import { chromium, type Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleHandle } from '../server/consoleProcess.js';
import { setUpFirstAdmin, startUnit } from './unit.js';
import { raw, upgrade } from './wire.js';

/**
 * Who may do what, and what happens at the edges: roles, headers, Origin checks, the console's
 * own user, sessions that end, an agent that goes away. A real agent, the real console server
 * and Debian's chromium, with the first admin made through the API.
 */
const PW = 'a long enough passphrase';

let agent: AgentHandle;
let dir: string;
let server: ConsoleHandle;
let browser: Browser;
let base: string;
let who: Awaited<ReturnType<typeof startUnit>>['who'];

beforeAll(async () => {
  ({ dir, agent, server, who } = await startUnit('tandem-access-'));
  base = server.base;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
  await setUpFirstAdmin(browser, { agent, server }, 'ann', PW);
});

afterAll(async () => {
  await browser?.close();
  server?.stop();
  await agent?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('console access', () => {
  it('lets a read-only user look but not change anything', async () => {
    const admin = await browser.newContext({ ignoreHTTPSErrors: true });
    const login = (ctx: typeof admin, name: string) =>
      ctx.request.post(`${base}/api/v1/auth/login`, {
        data: { name, password: PW },
        headers: { origin: base },
      });
    expect((await login(admin, 'ann')).status()).toBe(200);
    const add = await admin.request.post(`${base}/api/v1/auth/users`, {
      data: { name: 'rob', role: 'read-only', password: PW },
      headers: { origin: base },
    });
    expect(add.status()).toBe(200);
    const ro = await browser.newContext({ ignoreHTTPSErrors: true });
    expect((await login(ro, 'rob')).status()).toBe(200);
    expect((await ro.request.get(`${base}/api/v1/config`)).status()).toBe(200);
    const apply = await ro.request.post(`${base}/api/v1/apply`, {
      data: {},
      headers: { origin: base },
    });
    expect(apply.status()).toBe(403);
    expect(await apply.text()).toMatch(/rob is read-only/);
    // Nor open the terminal, even with the password re-entered.
    expect(
      (
        await ro.request.post(`${base}/api/v1/auth/sudo`, {
          data: { password: PW },
          headers: { origin: base },
        })
      ).status(),
    ).toBe(200);
    const cookie = (await ro.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    expect(await upgrade(base, base, cookie)).toBe('HTTP/1.1 403 Forbidden');
    await admin.close();
    await ro.close();
  });

  it('sends an ended session back to sign-in, then to the page it was on', async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const signIn = async () => {
      await page.fill('input[name=name]', 'ann');
      await page.fill('input[name=password]', PW);
      await page.click('button:has-text("Sign in")');
    };
    // A first visit to a deep link: "sign in", not "your session ended" (there was none).
    await page.goto(`${base}/logs`);
    await page.waitForURL(`${base}/login?next=%2Flogs`);
    await page.waitForSelector('button:has-text("Sign in")');
    expect(await page.textContent('body')).not.toMatch(/session ended/);
    await signIn();
    await page.waitForURL(`${base}/logs`);
    await expect.poll(() => page.textContent('body')).toMatch(/newest first|No requests match/);
    // The session ends while the page is open (here: signed out from another tab).
    const out = await page.request.post(`${base}/api/v1/auth/logout`, {
      data: {},
      headers: { origin: base },
    });
    expect(out.ok()).toBe(true);
    await page.fill('input[name=status]', '404');
    await page.click('form >> text=Filter');
    await page.waitForURL(`${base}/login?expired=1&next=%2Flogs`);
    await expect.poll(() => page.textContent('body')).toMatch(/Your session ended/);
    await signIn();
    await page.waitForURL(`${base}/logs`);
    // `next` only ever leads to a page of this console.
    for (const elsewhere of ['//evil.example/', '/\\evil.example/', 'https://evil.example/']) {
      await page.goto(`${base}/login?next=${encodeURIComponent(elsewhere)}`);
      await signIn();
      await page.waitForURL(`${base}/`);
    }
    // An address the console does not have says so in words.
    await page.goto(`${base}/nowhere`);
    await expect.poll(() => page.textContent('body')).toMatch(/no page at that address/);
    await context.close();
  });

  it('sends the security headers on every response', async () => {
    const r = await raw(base, 'GET', '/login', {});
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(r.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    // The nonce is new for every response.
    const again = String((await raw(base, 'GET', '/login', {})).headers['content-security-policy']);
    expect(again).not.toBe(csp);
  });

  it('refuses a cross-origin POST and a cross-origin WebSocket upgrade', async () => {
    const post = await raw(
      base,
      'POST',
      '/api/v1/apply',
      { origin: 'https://evil.example', 'content-type': 'application/json' },
      '{}',
    );
    expect(post.status).toBe(403);
    expect(post.text).toMatch(/cross-origin/);
    const noOrigin = await raw(
      base,
      'POST',
      '/api/v1/auth/login',
      { 'content-type': 'application/json' },
      '{}',
    );
    expect(noOrigin.status).toBe(403);
    expect(await upgrade(base, 'https://evil.example')).toBe('HTTP/1.1 403 Forbidden');
    // Same origin but no session: the agent refuses it.
    expect(await upgrade(base, base)).toBe('HTTP/1.1 401 Unauthorized');
  });

  it('runs the console server unprivileged, granted only its socket and certificate', async () => {
    if (process.getuid?.() !== 0) return; // not root: the console already runs as this user
    // ensure-system.sh made the user; only a checkout the user cannot enter keeps it root.
    if (who.identity === null) {
      expect(who.reason).toMatch(/cannot reach/);
      return;
    }
    const status = await readFile(`/proc/${server.pid}/status`, 'utf8');
    const uids = /^Uid:\s+(\d+)\s+(\d+)/m.exec(status);
    expect(uids?.slice(1).map(Number)).toEqual([who.identity.uid, who.identity.uid]);
    const mode = async (p: string) => {
      const s = await stat(join(agent.stateDir, p));
      return { mode: (s.mode & 0o777).toString(8), gid: s.gid };
    };
    const gid = who.identity.gid;
    expect(await mode('.')).toMatchObject({ mode: '711' });
    expect(await mode('console.sock')).toEqual({ mode: '660', gid });
    expect(await mode('console')).toEqual({ mode: '750', gid });
    expect(await mode('console/console.key')).toEqual({ mode: '640', gid });
    // What the console must not read: the stores and the operator socket.
    for (const f of ['auth.db', 'tandem.db', 'telemetry.db'])
      expect((await mode(f)).mode).toBe('600');
    expect((await mode('agent.sock')).gid).not.toBe(gid);
  });

  it('slows an address that guesses, with a countdown, while another signs in', async () => {
    // An account of its own, so the other tests' sign-ins from this address are not slowed.
    const admin = await browser.newContext({ ignoreHTTPSErrors: true });
    const headers = { origin: base };
    await admin.request.post(`${base}/api/v1/auth/login`, {
      data: { name: 'ann', password: PW },
      headers,
    });
    const add = await admin.request.post(`${base}/api/v1/auth/users`, {
      data: { name: 'zoe', role: 'admin', password: PW },
      headers,
    });
    expect(add.status()).toBe(200);
    await admin.close();
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    /** Signs in through the form; answers the status the console gave the page. */
    const attempt = async (password: string) => {
      await page.fill('input[name=name]', 'zoe');
      await page.fill('input[name=password]', password);
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login')),
        page.click('button:has-text("Sign in")'),
      ]);
      return res.status();
    };
    for (let i = 0; i < 3; i++) expect(await attempt(`wrong guess number ${i}`)).toBe(401);
    expect(await page.textContent('body')).toMatch(/wrong user name or password/);
    expect(await attempt('wrong guess number 3')).toBe(429);
    // The page counts the wait down and holds the button meanwhile.
    // Both at once, checked in the page: the wait is a second, so no separate look later.
    await page.waitForFunction(() => {
      const left = document.querySelector('[data-testid=retry-countdown]')?.textContent;
      const button = [...document.querySelectorAll('button')].find((b) =>
        b.textContent?.includes('Sign in'),
      );
      return Number(left) > 0 && button?.disabled === true;
    });
    // Meanwhile the right password from another address goes straight in.
    const body = JSON.stringify({ name: 'zoe', password: PW });
    const json = { origin: base, 'content-type': 'application/json' };
    const other = await raw(base, 'POST', '/api/v1/auth/login', json, body, '127.0.0.2');
    expect(other.status).toBe(200);
    // Once the countdown is over, the page lets the owner try again, and in they go.
    await page.waitForSelector('button:has-text("Sign in"):not([disabled])');
    expect(await attempt(PW)).toBe(200);
    await page.waitForURL(`${base}/`);
    // Fifty wrong attempts at once from a third address: as many get through as one by one
    // would in the same time: three free, then one more each time a doubling wait (1 s, 2 s,
    // 4 s…) has passed since the burst began (a busy machine takes a while to answer fifty).
    const began = Date.now();
    const burst = await Promise.all(
      Array.from({ length: 50 }, () =>
        raw(
          base,
          'POST',
          '/api/v1/auth/login',
          json,
          JSON.stringify({ name: 'zoe', password: 'not it at all' }),
          '127.0.0.3',
        ),
      ),
    );
    const waited = (Date.now() - began) / 1000;
    const statuses = burst.map((r) => r.status);
    const through = statuses.filter((s) => s === 401).length;
    expect(through).toBeGreaterThanOrEqual(3);
    expect(through).toBeLessThanOrEqual(3 + Math.floor(Math.log2(waited + 1)));
    expect(statuses.filter((s) => s === 429)).toHaveLength(50 - through);
    expect(JSON.parse(burst.find((r) => r.status === 429)?.text ?? '{}')).toMatchObject({
      error: { code: 'too_many_requests', retryAfterMs: expect.any(Number) },
    });
    await context.close();
  });

  it('needs a session for the API: the agent checks it, not the page', async () => {
    const r = await raw(base, 'GET', '/api/v1/status', {});
    expect(r.status).toBe(401);
  });

  it('says so while the agent is away, and carries on when it is back', async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const login = await page.request.post(`${base}/api/v1/auth/login`, {
      data: { name: 'ann', password: PW },
      headers: { origin: base },
    });
    expect(login.status()).toBe(200);
    await agent.stop();
    try {
      const r = await raw(base, 'GET', '/api/v1/auth/state', {});
      expect(r.status).toBe(503);
      expect(JSON.parse(r.text)).toMatchObject({ error: { code: 'agent_unavailable' } });
      await page.goto(`${base}/history`);
      await expect.poll(() => page.textContent('[role=alert]')).toMatch(/agent is not answering/);
    } finally {
      await agent.start();
    }
    // Sessions live in the agent's store: the same one is good after the restart.
    await expect.poll(() => page.textContent('body'), { timeout: 15_000 }).toMatch(/Generation 1/);
    await context.close();
  });
});
