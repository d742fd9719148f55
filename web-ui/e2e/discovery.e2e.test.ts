import { createServer, type Server } from 'node:http';
import { freeTcpPort } from '@tandem/agent/testing/agentProcess';
import { startDnsServer } from '@tandem/agent/testing/dnsServer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shoot } from './screenshots.js';
import { startUnitWithAdmin } from './unit.js';

/**
 * Servers from DNS in the browser (issue 19): the name servers set in Settings (a bad one
 * refused with the field named), a "Dynamic pool from DNS" service made from its template, its
 * slots shown on Services as HAProxy fills them, and a record added while it runs appearing
 * there with no reload. A real agent and HAProxy, dnsmasq on loopback, the console, chromium.
 */
const PW = 'a long enough passphrase';

let unit: Awaited<ReturnType<typeof startUnitWithAdmin>>;
let dns: Awaited<ReturnType<typeof startDnsServer>>;
const backends: Server[] = [];
let serverPort = 0;

beforeAll(async () => {
  serverPort = await freeTcpPort();
  for (const host of ['127.0.0.2', '127.0.0.3']) {
    const s = createServer((_req, res) => res.end(host));
    await new Promise<void>((r) => s.listen(serverPort, host, r));
    backends.push(s);
  }
  dns = await startDnsServer({ hosts: { 'web.test': ['127.0.0.2'] } });
  unit = await startUnitWithAdmin('tandem-discovery-', { name: 'ann', password: PW });
}, 60_000);

afterAll(async () => {
  await unit?.close();
  await dns?.close();
  for (const s of backends) s.close();
});

describe('servers from DNS in the console', () => {
  it('sets the name servers, makes a pool from DNS and shows its slots filling live', async () => {
    const context = await unit.browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const base = unit.server.base;
    await page.goto(`${base}/login`);
    await page.fill('input[name=name]', 'ann');
    await page.fill('input[name=password]', PW);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${base}/`);

    // The name servers: something that is no address is refused, said under the field.
    await page.goto(`${base}/settings`);
    const form = page.locator('form[aria-label="Name servers"]');
    await form.locator('input[name=nameservers]').fill('ns.example');
    await form.locator('button:has-text("Save name servers")').click();
    await page.waitForSelector(
      'form[aria-label="Name servers"] >> text=must be an IPv4 or IPv6 address',
    );
    await form.locator('input[name=nameservers]').fill(`${dns.address}:${dns.port}`);
    await form.locator('input[name=holdValid]').fill('1');
    await form.locator('button:has-text("Save name servers")').click();
    await page.waitForSelector('text=/Name servers saved: generation \\d+ runs/');
    await page.waitForSelector(
      `[data-testid=resolvers]:has-text("ask ${dns.address}:${dns.port}; an answer holds 1 s")`,
    );

    // A pool from DNS, from its template.
    const port = await freeTcpPort();
    await page.goto(`${base}/services`);
    await page.click('button:has-text("Dynamic pool from DNS")');
    await page.fill('input[name=name]', 'web');
    await page.fill('input[name=port]', String(port));
    await page.fill('input[name="dns.name"]', 'web.test');
    await page.fill('input[name=slots]', '4');
    await page.fill('input[name=serverPort]', String(serverPort));
    await page.fill('input[name=healthPath]', '/');
    await page.click('text=Create service');
    await page.click('[aria-label="Pending changes"] >> text=Apply');
    await expect
      .poll(() => page.textContent('body'), { timeout: 90_000 })
      .toMatch(/Generation \d+ is running/);
    const slots = page.locator('[aria-label="servers from DNS for pool"]');
    await slots
      .locator('text=/A web.test: 1 of 4 slots filled; last answer 1 record at/')
      .waitFor();
    await slots.locator(`text=127.0.0.2:${serverPort}`).waitFor();

    // A record added while HAProxy runs: the page shows it in a slot, with no reload.
    const runningBefore = await (await page.request.get(`${base}/api/v1/status`)).json();
    await dns.setHosts({ 'web.test': ['127.0.0.2', '127.0.0.3'] });
    await slots
      .locator('text=/A web.test: 2 of 4 slots filled; last answer 2 records at/')
      .waitFor();
    await slots.locator(`li:has-text("127.0.0.3:${serverPort}") >> text=UP`).waitFor();
    expect(await (await page.request.get(`${base}/api/v1/status`)).json()).toMatchObject({
      running: (runningBefore as { running: number }).running,
    });
    await shoot(page, 'services-discovery');
    await context.close();
  }, 180_000);
});
