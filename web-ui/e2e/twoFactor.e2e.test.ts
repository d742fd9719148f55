import { rm } from 'node:fs/promises';
import type { AgentHandle } from '@tandem/agent/testing/agentProcess';
import { totpCode } from '@tandem/agent/services/secondFactorCheck';
import { chromium, type Browser, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleHandle } from '../server/consoleProcess.js';
import { shoot } from './screenshots.js';
import { setUpFirstAdmin, startUnit } from './unit.js';

/**
 * Two-factor sign-in in the browser (issue 17): enrolment by QR code and first code, sign-in
 * with a code, with a recovery code, a wrong code refused, the terminal's sudo step asking for a
 * code, and the policy that makes an admin without it read-only until set up. A real agent, the
 * real console server and Debian's chromium; the test computes codes as an authenticator would.
 */
const PW = 'a long enough passphrase';
const BOB_PW = 'another long enough phrase';

let agent: AgentHandle;
let dir: string;
let server: ConsoleHandle;
let browser: Browser;
let base: string;

beforeAll(async () => {
  ({ dir, agent, server } = await startUnit('tandem-2fa-'));
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

/** Name and password through the sign-in form; answers the agent's status for it. */
async function signIn(page: Page, name: string, password: string, code?: string) {
  if (!page.url().includes('/login')) await page.goto(`${base}/login`);
  await page.fill('input[name=name]', name);
  await page.fill('input[name=password]', password);
  if (code !== undefined) await page.fill('input[name=code]', code);
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login')),
    page.click('button:has-text("Sign in")'),
  ]);
  return res.status();
}

/** Sets up two-factor sign-in on the Settings page; answers the secret and recovery codes. */
async function enrol(page: Page, password: string, screenshot = false) {
  await page.goto(`${base}/settings`);
  await page.click('button:has-text("Set up two-factor sign-in")');
  await page.fill('form[aria-label="Confirm it is you"] input[name=password]', password);
  await page.click('form[aria-label="Confirm it is you"] button:has-text("Continue")');
  const secret = ((await page.textContent('[data-testid=totp-secret]')) ?? '').replace(/ /g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  // The QR code is an image the browser decoded, at the size asked.
  await page.waitForFunction(() => {
    const img = document.querySelector<HTMLImageElement>('[data-testid=totp-qr]');
    return img?.complete === true && img.naturalWidth > 0;
  });
  if (screenshot) await shoot(page, 'two-factor-enrol');
  // A wrong code first: refused, named under the field; nothing is kept.
  await page.fill('form[aria-label="Scan and confirm"] input[name=code]', '000000');
  await page.click('button:has-text("Turn on")');
  await page.waitForSelector("text=is not right: is the phone's clock right?");
  await page.fill(
    'form[aria-label="Scan and confirm"] input[name=code]',
    totpCode(secret, Date.now()),
  );
  await page.click('button:has-text("Turn on")');
  await page.waitForSelector('[data-testid=recovery-codes] li');
  const codes = await page.locator('[data-testid=recovery-codes] li').allTextContents();
  if (screenshot) await shoot(page, 'two-factor-recovery-codes');
  await page.click('button:has-text("I have kept them")');
  await page.waitForSelector('[data-testid=two-factor-state]:has-text("On:")');
  return { secret, codes };
}

describe('two-factor sign-in', () => {
  it('enrols by QR code; signs in with a code, with a recovery code; refuses a wrong code; sudo asks for one', async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    expect(await signIn(page, 'ann', PW)).toBe(200);
    await page.waitForURL(`${base}/`);
    const { secret, codes } = await enrol(page, PW, true);
    expect(codes).toHaveLength(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);

    await page.click('button:has-text("Sign out")');
    await page.waitForURL(/\/login/);
    // The right password: the page asks for the code, keeping the name and password.
    expect(await signIn(page, 'ann', PW)).toBe(401);
    await page.waitForSelector('input[name=code]');
    await shoot(page, 'two-factor-sign-in');
    expect(await signIn(page, 'ann', PW, '000000')).toBe(401);
    await page.waitForSelector('text=the code is not right');
    expect(page.url()).toContain('/login');
    // Something that is no code at all: the grammar says what a code looks like.
    expect(await signIn(page, 'ann', PW, 'x')).toBe(400);
    await page.waitForSelector('text=must be the 6-digit code from your authenticator app');
    // The enrolment used this step's code: the app's next one (the agent allows one step of
    // drift either way) signs in.
    expect(await signIn(page, 'ann', PW, totpCode(secret, Date.now() + 30_000))).toBe(200);
    await page.waitForURL(`${base}/`);

    await page.click('button:has-text("Sign out")');
    await page.waitForURL(/\/login/);
    await signIn(page, 'ann', PW);
    await page.waitForSelector('input[name=code]');
    expect(await signIn(page, 'ann', PW, codes[0])).toBe(200);
    await page.waitForURL(`${base}/`);
    // The same recovery code again is refused (used once, gone).
    const again = await context.request.post(`${base}/api/v1/auth/login`, {
      data: { name: 'ann', password: PW, code: codes[0] },
      headers: { origin: base },
    });
    expect(again.status()).toBe(401);

    // The terminal's sudo step wants a code as well: the password alone is not enough.
    await page.goto(`${base}/terminal`);
    await page.waitForSelector('input[name=code]');
    await page.fill('input[name=password]', PW);
    await page.fill('input[name=code]', codes[1] ?? '');
    await page.click('button:has-text("Open the terminal")');
    await page.waitForSelector('.xterm');

    // The audit page shows the walk: set up, the wrong code, the recovery code.
    await page.goto(`${base}/audit`);
    await page.waitForSelector('text=wrong second-factor code');
    await page.waitForSelector('text=with a recovery code (9 left)');
    await context.close();
  });

  it('makes an admin without it read-only until set up, when the policy says so', async () => {
    // The local operator removes ann's second factor (a lost phone): the password alone signs
    // her in, and she sets up a new one.
    await agent.api.send('DELETE', '/v1/auth/users/ann/two-factor', {});
    const ann = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await ann.newPage();
    expect(await signIn(page, 'ann', PW)).toBe(200);
    await page.waitForURL(`${base}/`);
    await enrol(page, PW);

    const headers = { origin: base };
    const added = await ann.request.post(`${base}/api/v1/auth/users`, {
      data: { name: 'bob', role: 'admin', password: BOB_PW },
      headers,
    });
    expect(added.status()).toBe(200);
    await page.goto(`${base}/settings`);
    // The box follows the agent's answer, not the click: clicked, then checked once it agreed.
    await page.click('input[name=requireTwoFactorForAdmins]');
    await page.waitForSelector('text=Admins now need two-factor sign-in');
    expect(await page.isChecked('input[name=requireTwoFactorForAdmins]')).toBe(true);

    const bobContext = await browser.newContext({ ignoreHTTPSErrors: true });
    const bob = await bobContext.newPage();
    expect(await signIn(bob, 'bob', BOB_PW)).toBe(200);
    await bob.waitForSelector('[data-testid=must-enrol]');
    const apply = await bobContext.request.post(`${base}/api/v1/apply`, { data: {}, headers });
    expect(apply.status()).toBe(403);
    expect(await apply.text()).toMatch(/two-factor sign-in is required for admins/);
    await enrol(bob, BOB_PW);
    // Set up: the notice is gone and bob is an admin again.
    await bob.waitForSelector('[data-testid=must-enrol]', { state: 'detached' });
    const after = await bobContext.request.post(`${base}/api/v1/apply`, { data: {}, headers });
    expect(after.status()).toBe(200);
    await bobContext.close();
    await ann.close();
  });
});
