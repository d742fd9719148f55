import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consoleIdentity } from '@tandem/agent/adapters/systemUsers';
import { down, holders, up, waitFor } from '@tandem/lab/lab';
import { ADDR, defaultLab, unitDir, type LabOptions } from '@tandem/lab/labSpec';
import { listNetns } from '@tandem/lab/netns';
import { chromium, type Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shoot } from './screenshots.js';
import { startConsole, type ConsoleHandle } from '../server/consoleProcess.js';

/**
 * The Cluster page against a real pair: the two-unit lab (agents, HAProxy and keepalived in
 * network namespaces), and the console in front of unit a (its socket is a file, so the console
 * runs in the host's namespace). What a user sees of VRRP, and a handover done from the page.
 */
const HERE = dirname(fileURLToPath(import.meta.url));
const PW = 'a long enough passphrase';
const lab: LabOptions = { ...defaultLab(`tc${process.pid % 10_000}`), advertIntervalMs: 100 };

let server: ConsoleHandle;
let browser: Browser;

beforeAll(async () => {
  await up(lab);
  const who = consoleIdentity(join(HERE, '..'));
  server = await startConsole(unitDir(lab, 'a'), who.identity ? { as: who.identity } : {});
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.stop();
  await down(lab);
  expect(await listNetns(`${lab.prefix}-`)).toEqual([]);
  await rm(lab.stateRoot, { recursive: true, force: true });
});

describe('the cluster page on a real pair', () => {
  it('shows the master, its peer and VIP, and hands over from the page', async () => {
    const base = server.base;
    const log = await readFile(join(unitDir(lab, 'a'), 'agent.log'), 'utf8');
    const token = /setup token (\S+)/.exec(log)?.[1] ?? '';
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const setup = await page.request.post(`${base}/api/v1/auth/setup`, {
      data: { token, name: 'ann', password: PW },
      headers: { origin: base },
    });
    expect(setup.status()).toBe(200);

    // The dashboard names the role, the peer and the VIP.
    await page.goto(`${base}/`);
    await expect.poll(() => page.textContent('body')).toMatch(/edge: MASTER/);
    await expect.poll(() => page.textContent('body')).toContain(ADDR.b);
    await expect.poll(() => page.textContent('body')).toContain(`${ADDR.vip}/24`);
    await shoot(page, 'dashboard-pair');

    await page.goto(`${base}/cluster`);
    await expect.poll(() => page.textContent('table')).toMatch(/edge.*MASTER/);
    await shoot(page, 'cluster-pair');

    // Handover asks first; then the peer holds the VIP and this unit stays in standby.
    await page.click('text=Hand over to the peer…');
    await expect.poll(() => page.textContent('body')).toMatch(/stay in standby\?/);
    await page.click('button:text-is("Hand over")');
    await expect
      .poll(() => page.textContent('body'), { timeout: 10_000 })
      .toMatch(/standby \(handed over\)/);
    await waitFor('b to hold the VIP', 10_000, async () => (await holders(lab)).join() === 'b');
    await expect
      .poll(() => page.textContent('table'), { timeout: 10_000 })
      .toMatch(/edge\s*51\s*standby/);
    await shoot(page, 'cluster-handed-over');

    // Resume: this unit may be master again (no preemption: b keeps the VIP until it fails).
    await page.click('button:text-is("Resume")');
    await expect
      .poll(() => page.textContent('body'), { timeout: 10_000 })
      .not.toMatch(/standby \(handed over\)/);
    expect(await holders(lab)).toEqual(['b']);
    await context.close();
  });
});
