import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AgentHandle } from '@tandem/agent/testing/agentProcess';
import { chromium, type Browser, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_PAGES, type ConsoleHandle } from '../server/consoleProcess.js';
import { snap } from './screenshots.js';
import { startUnit } from './unit.js';

/**
 * axe-core on every console page, light and dark: no serious or critical violation. (axe is
 * injected as a script, which the console's CSP rightly forbids, so this context bypasses CSP;
 * the main e2e test checks the CSP itself.)
 */
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PW = 'a long enough passphrase';
const PAGES = CONSOLE_PAGES;

let agent: AgentHandle;
let dir: string;
let server: ConsoleHandle;
let browser: Browser;
let base: string;

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

async function audit(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: () => Promise<{ violations: Violation[] }> } })
      .axe;
    return (await axe.run()).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact ?? ''}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}

beforeAll(async () => {
  ({ dir, agent, server } = await startUnit('tandem-axe-'));
  base = server.base;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
});

afterAll(async () => {
  await browser?.close();
  server?.stop();
  await agent?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('accessibility', () => {
  it('has no serious or critical axe violation on any page, light or dark', async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, bypassCSP: true });
    const page = await context.newPage();
    const found: string[] = [];
    const check = async (paths: readonly string[]) => {
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        for (const p of paths) {
          await page.goto(`${base}${p}`);
          await page.waitForLoadState('networkidle');
          for (const v of await audit(page)) found.push(`${scheme} ${p}: ${v}`);
        }
      }
    };
    await check(PAGES.slice(0, 2));
    const token = /setup token (\S+)/.exec(agent.log())?.[1] ?? '';
    const r = await page.request.post(`${base}/api/v1/auth/setup`, {
      data: { token, name: 'ann', password: PW },
      headers: { origin: base },
    });
    expect(r.status()).toBe(200);
    // A service, so Services shows its card with the live actions and the weight field.
    const status = (await (await page.request.get(`${base}/api/v1/status`)).json()) as {
      desired: number;
    };
    const add = await page.request.post(`${base}/api/v1/services`, {
      data: {
        base: status.desired,
        template: 'http-load-balancing',
        params: { name: 'web', port: 18080, servers: [{ address: '127.0.0.1', port: 9 }] },
      },
      headers: { origin: base },
    });
    expect(add.status()).toBe(200);
    await check(PAGES.slice(2));
    expect(found).toEqual([]);
    await context.close();
    // Every page, light and dark (about 40 s alone): a bound for a busy machine, not a figure.
  }, 240_000);

  it('fits a phone: no page scrolls sideways at 390 px', async () => {
    const context = await browser.newContext({
      ignoreHTTPSErrors: true,
      // A desktop browser in a phone-sized window: a mobile one would zoom out to fit the page
      // and hide the overflow this looks for.
      viewport: { width: 390, height: 844 },
    });
    const page = await context.newPage();
    const login = await page.request.post(`${base}/api/v1/auth/login`, {
      data: { name: 'ann', password: PW },
      headers: { origin: base },
    });
    expect(login.status()).toBe(200);
    const wide: string[] = [];
    for (const p of PAGES.slice(2)) {
      await page.goto(`${base}${p}`);
      await page.waitForLoadState('networkidle');
      const [scroll, width] = await page.evaluate(() => [
        document.documentElement.scrollWidth,
        window.innerWidth,
      ]);
      if ((scroll ?? 0) > 390) wide.push(`${p}: ${scroll} px wide in ${width} px`);
      if (p === '/' || p === '/services')
        await snap(page, `phone${p === '/' ? '-dashboard' : p.replace('/', '-')}.png`);
    }
    expect(wide).toEqual([]);
    await context.close();
  }, 240_000);
});
