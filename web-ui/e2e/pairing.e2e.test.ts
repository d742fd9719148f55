import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consoleIdentity } from '@tandem/agent/adapters/systemUsers';
import { makeTestChain } from '@tandem/agent/testing/testCertificates';
import { down, holders, unitApi, up, waitFor } from '@tandem/lab/lab';
import { ADDR, defaultLab, unitDir, type LabOptions, type UnitId } from '@tandem/lab/labSpec';
import { listNetns } from '@tandem/lab/netns';
import { chromium, type Browser, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shoot } from './screenshots.js';
import { startConsole, type ConsoleHandle } from '../server/consoleProcess.js';

/**
 * Pairing through the browser, as a new user would: two fresh lab units (unpaired, no
 * configuration), a console in front of each. The code is shown on b's Cluster page and typed
 * on a's; then a VIP is set up and both units' failover settings saved from a's page, and a
 * shows its peer ready with the VIP held by a.
 */
const HERE = dirname(fileURLToPath(import.meta.url));
const PW = 'a long enough passphrase';
const lab: LabOptions = {
  ...defaultLab(`tq${process.pid % 10_000}`),
  advertIntervalMs: 100,
  pair: false,
};

const servers = new Map<UnitId, ConsoleHandle>();
let browser: Browser;

beforeAll(async () => {
  await up(lab);
  const who = consoleIdentity(join(HERE, '..'));
  for (const u of ['a', 'b'] as const)
    servers.set(u, await startConsole(unitDir(lab, u), who.identity ? { as: who.identity } : {}));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const s of servers.values()) s.stop();
  await down(lab);
  expect(await listNetns(`${lab.prefix}-`)).toEqual([]);
  await rm(lab.stateRoot, { recursive: true, force: true });
});

/**
 * The first admin of a unit (its one-time setup token from the agent log), signed in. Each unit
 * gets its own name so both stay signed in: a pair shares its users, and with one name on both
 * the joiner's becomes the inviter's (ending the joiner's sessions of it).
 */
const ADMIN: Record<UnitId, string> = { a: 'ann', b: 'bea' };
async function signedIn(u: UnitId): Promise<Page> {
  const base = servers.get(u)?.base ?? '';
  const log = await readFile(join(unitDir(lab, u), 'agent.log'), 'utf8');
  const token = /setup token (\S+)/.exec(log)?.[1] ?? '';
  const page = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
  const setup = await page.request.post(`${base}/api/v1/auth/setup`, {
    data: { token, name: ADMIN[u], password: PW },
    headers: { origin: base },
  });
  expect(setup.status()).toBe(200);
  await page.goto(`${base}/cluster`);
  return page;
}

const invite = 'section[aria-label="Invite a unit"]';

/** Pairing asks for the password again (sudo mode) when the session has none. */
async function sudo(page: Page) {
  await page.waitForSelector('text=Enter your password again');
  await page.fill('input[name=password]', PW);
  await page.click('button:text-is("Continue")');
}

describe('pairing two units in the browser', () => {
  it('shows a code on b, pairs from a, sets up a VIP and both units, and shows the peer ready', async () => {
    const b = await signedIn('b');
    await sudo(b);
    await b.click('button:text-is("Show a pairing code")');
    const code = (await b.textContent('[data-testid=pairing-code]')) ?? '';
    expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    await shoot(b, 'cluster-pairing-code');

    const a = await signedIn('a');
    await sudo(a);
    await a.fill(`${invite} input[name=address]`, ADDR.b);
    // A code that cannot be one is named under its field; a wrong one is refused by b.
    await a.fill(`${invite} input[name=code]`, 'abc');
    await a.click('button:text-is("Pair")');
    await expect.poll(() => a.textContent(invite)).toContain('must be the 10-symbol code');
    const wrong = code.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    await a.fill(`${invite} input[name=code]`, wrong);
    await a.click('button:text-is("Pair")');
    await expect.poll(() => a.textContent('[role=alert]')).toContain('wrong pairing code');
    await a.fill(`${invite} input[name=code]`, code.toLowerCase());
    await shoot(a, 'cluster-pair-invite');
    await a.click('button:text-is("Pair")');
    await expect
      .poll(() => a.textContent('body'), { timeout: 20_000 })
      .toContain('Paired with lab-b');

    // b took a's configuration and says so; its page shows the peer too.
    await b.reload();
    await expect
      .poll(() => b.textContent('body'), { timeout: 10_000 })
      .toContain('Paired with lab-a');

    // A first VIP, then each unit's failover settings from the proposals, saved from a.
    await a.fill('form[aria-label="Add a VIP"] input[name=vipAddress]', ADDR.vip);
    await a.click('button:text-is("Add the VIP and apply")');
    await a.waitForSelector('form[aria-label="Failover settings of lab-b"]', { timeout: 20_000 });
    await expect
      .poll(() =>
        a.inputValue('form[aria-label="Failover settings of lab-a"] input[name="priority.edge"]'),
      )
      .toBe('150');
    await expect
      .poll(() =>
        a.inputValue('form[aria-label="Failover settings of lab-b"] input[name="priority.edge"]'),
      )
      .toBe('100');
    await a.click('button:text-is("Save lab-a\'s settings")');
    await expect.poll(() => a.textContent('body')).toContain("Saved lab-a's failover settings");
    await a.click('button:text-is("Save lab-b\'s settings")');
    await expect.poll(() => a.textContent('body')).toContain("Saved lab-b's failover settings");

    await expect
      .poll(() => a.textContent('table'), { timeout: 20_000 })
      .toMatch(/edge\s*51\s*MASTER/);
    await expect
      .poll(() => a.textContent('[aria-label=Peer]'), { timeout: 20_000 })
      .toMatch(/in sync\s*· ready to take over/);
    await waitFor('a holds the VIP', 10_000, async () => (await holders(lab)).join() === 'a');
    await shoot(a, 'cluster-paired');
    // A certificate stored on a reaches b; a's page shows both units' copies, the same.
    const chain = await makeTestChain(['shop.example.org']);
    await unitApi(lab, 'a').send('POST', '/v1/certificates', {
      name: 'shop',
      pem: chain.leaf + chain.intermediate + chain.leafKey,
    });
    const table = 'table[aria-label="Certificates on both units"]';
    await a.waitForSelector(`${table} >> text=the same`, { timeout: 30_000 });
    expect(await a.textContent(table)).toMatch(/shop[\s\S]*until[\s\S]*until[\s\S]*the same/);
    await a.locator(table).scrollIntoViewIfNeeded();
    await shoot(a, 'cluster-certificates');
    // The pair shares its users: each unit's admin is on both.
    for (const u of ['a', 'b'] as const)
      await expect
        .poll(async () =>
          (await unitApi(lab, u).get<{ name: string }[]>('/v1/auth/users')).map((x) => x.name),
        )
        .toEqual(['ann', 'bea']);
  });
});
