import { mkdtemp, readFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { freeTcpPort } from '@tandem/agent/testing/agentProcess';
import { startPebble, type Pebble } from '@tandem/agent/testing/pebble';
import { startWebhookReceiver } from '@tandem/agent/testing/webhookReceiver';
import { startSmtpReceiver } from '@tandem/agent/testing/smtpReceiver';
import { makeTestChain, type TestChain } from '@tandem/agent/testing/testCertificates';
import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleHandle } from '../server/consoleProcess.js';
import { shoot } from './screenshots.js';
import { startUnitWithAdmin } from './unit.js';

/**
 * The certificate store in the browser (issue 18): upload a certificate, pick it in an
 * https-offload service, apply, and see it served (a real TLS client with SNI); then replace it
 * and see the new one served with no reload. A real agent and HAProxy, the console, chromium.
 */
const PW = 'a long enough passphrase';

let unit: Awaited<ReturnType<typeof startUnitWithAdmin>>;
let dir: string;
let server: ConsoleHandle;
let browser: Browser;
let base: string;
let backend: Server;
let backendPort = 0;
let chains: TestChain[];
let pebble: Pebble;
/** Port 80 of the unit as the ACME CA (pebble) reaches it. */
let acmePort = 0;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let cas: string;

/** The SHA-256 fingerprint of what HAProxy presents on `port` for `servername`. */
function served(port: number, servername: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false }, () => {
      resolve(s.getPeerCertificate().fingerprint256);
      s.end();
    });
    s.on('error', reject);
  });
}

beforeAll(async () => {
  backend = createServer((_req, res) => res.end('hello over TLS\n'));
  backendPort = await freeTcpPort();
  await new Promise<void>((r) => backend.listen(backendPort, '127.0.0.1', r));
  acmePort = await freeTcpPort();
  pebble = await startPebble(acmePort);
  cas = await mkdtemp(join(tmpdir(), 'tandem-cas-'));
  smtp = await startSmtpReceiver(cas);
  // The agent trusts pebble's HTTPS and the mail server as it would a private CA's.
  const trusted = join(cas, 'trusted.pem');
  await writeFile(
    trusted,
    (await readFile(pebble.caFile, 'utf8')) + (await readFile(smtp.caFile, 'utf8')),
  );
  unit = await startUnitWithAdmin(
    'tandem-certs-',
    { name: 'ann', password: PW },
    { NODE_EXTRA_CA_CERTS: trusted },
  );
  ({ dir, server, browser } = unit);
  base = server.base;
  chains = await Promise.all([
    makeTestChain(['shop.test']),
    makeTestChain(['shop.test']),
    makeTestChain(['soon.test'], 10),
  ]);
}, 60_000);

afterAll(async () => {
  await unit?.close();
  await pebble?.stop();
  await smtp?.close();
  if (cas) await rm(cas, { recursive: true, force: true });
  backend?.close();
});

/** A browser signed in as the admin, on the dashboard. */
async function signedIn() {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.fill('input[name=name]', 'ann');
  await page.fill('input[name=password]', PW);
  await page.click('button:has-text("Sign in")');
  await page.waitForURL(`${base}/`);
  return { context, page };
}

describe('certificates in the console', () => {
  it('uploads a certificate, serves it from an https-offload service, replaces it live', async () => {
    const [first, second] = chains as [TestChain, TestChain];
    const files = {
      cert: join(dir, 'shop.crt'),
      key: join(dir, 'shop.key'),
      next: join(dir, 'shop-next.pem'),
    };
    await writeFile(files.cert, first.leaf + first.intermediate);
    await writeFile(files.key, first.leafKey);
    await writeFile(files.next, second.leaf + second.intermediate + second.leafKey);
    const { context, page } = await signedIn();

    await page.goto(`${base}/settings#certificates`);
    const add = page.locator('form[aria-label="Add a certificate"]');
    // Something that is no certificate: refused, said under the field.
    await add.locator('input[name=name]').fill('shop');
    await add.locator('textarea[name=pem]').fill('this is not a certificate');
    await add.locator('button:has-text("Add certificate")').click();
    await page.waitForSelector('text=has no PEM certificate');
    // The certificate with its chain in one file and the key in another.
    await add.locator('textarea[name=pem]').fill('');
    await add.locator('input[name=files]').setInputFiles([files.cert, files.key]);
    await add.locator('button:has-text("Add certificate")').click();
    await page.waitForSelector('text=Certificate shop stored.');
    await page.waitForSelector('[data-testid=certificate-list] >> text=DNS:shop.test');
    await shoot(page, 'settings-certificates');

    // An https-offload service picks it from the list.
    const httpsPort = await freeTcpPort();
    const httpPort = await freeTcpPort();
    await page.goto(`${base}/services`);
    await page.click('button:has-text("HTTPS offload")');
    await page.fill('input[name=name]', 'shop');
    await page.fill('input[name=httpsPort]', String(httpsPort));
    await page.fill('input[name=httpPort]', String(httpPort));
    await page.selectOption('select[name=certificate]', 'shop');
    await page.fill('input[name="servers[0].address"]', '127.0.0.1');
    await page.fill('input[name="servers[0].port"]', String(backendPort));
    await page.click('text=Create service');
    await page.click('[aria-label="Pending changes"] >> text=Apply');
    await expect
      .poll(() => page.textContent('body'), { timeout: 90_000 })
      .toMatch(/Generation \d+ is running/);
    const stored = (await (await page.request.get(`${base}/api/v1/certificates/shop`)).json()) as {
      fingerprint: string;
      usedBy: string[];
    };
    expect(stored.usedBy).toEqual(['shop']);
    expect(await served(httpsPort, 'shop.test')).toBe(stored.fingerprint);

    // Replaced from the list: served at once, and the page says no reload was needed.
    await page.goto(`${base}/settings#certificates`);
    await page.click('[data-testid=certificate-list] >> button:has-text("Replace")');
    const replace = page.locator('form[aria-label="Replace certificate shop"]');
    await replace.locator('input[name=files]').setInputFiles([files.next]);
    await replace.locator('button:has-text("Replace")').click();
    await page.waitForSelector('text=HAProxy serves it now (no reload)');
    const now = await served(httpsPort, 'shop.test');
    expect(now).not.toBe(stored.fingerprint);
    const listed = (await (await page.request.get(`${base}/api/v1/certificates/shop`)).json()) as {
      fingerprint: string;
    };
    expect(now).toBe(listed.fingerprint);

    // One that ends within 21 days: the dashboard says so, and so does an event.
    const soon = chains[2] as TestChain;
    const stored2 = await page.request.post(`${base}/api/v1/certificates`, {
      data: { name: 'soon', pem: soon.leaf + soon.intermediate + soon.leafKey },
      headers: { origin: base },
    });
    expect(stored2.status()).toBe(200);
    await page.goto(`${base}/`);
    await page.waitForSelector(
      '[data-testid=certificate-expiry]:has-text("Certificate soon expires in")',
    );
    await page.waitForSelector(
      'text=/certificate soon expires in \\d+ days \\(\\d{4}-\\d\\d-\\d\\d\\), not used/',
    );
    await shoot(page, 'dashboard-certificate-expiry');
    await context.close();
  });

  it('issues a certificate from an ACME CA, its challenge answered by the unit', async () => {
    const { context, page } = await signedIn();
    await page.goto(`${base}/settings#certificates`);
    const settings = page.locator('form[aria-label="ACME settings"]');
    // Without the terms agreed: refused, and said.
    await settings.locator('input[name=directoryUrl]').fill(pebble.directoryUrl);
    await settings.locator('button:has-text("Save ACME settings")').click();
    await page.waitForSelector("text=must be true: the CA's terms have to be agreed");
    await settings.locator('input[name=agreeTerms]').check();
    await settings.locator('button:has-text("Save ACME settings")').click();
    await page.waitForSelector('text=ACME settings saved.');
    // Port 80 as the CA sees it: an HTTP service (made through the API; the walk is above),
    // applied now that ACME is set up: the unit's HTTP frontends answer challenges from then on.
    const status = (await (await page.request.get(`${base}/api/v1/status`)).json()) as {
      desired: number;
    };
    const headers = { origin: base };
    await page.request.post(`${base}/api/v1/services`, {
      data: {
        base: status.desired,
        template: 'http-load-balancing',
        params: {
          name: 'site',
          port: acmePort,
          servers: [{ address: '127.0.0.1', port: backendPort }],
        },
      },
      headers,
    });
    expect((await page.request.post(`${base}/api/v1/apply`, { data: {}, headers })).status()).toBe(
      200,
    );
    const issue = page.locator('form[aria-label="Issue a certificate"]');
    await issue.locator('input[name=name]').fill('acme-shop');
    await issue.locator('input[name=domains]').fill('acme.test, www.acme.test');
    await issue.locator('button:has-text("Issue certificate")').click();
    await page.waitForSelector(
      'text=/Certificate acme-shop issued for acme\\.test, www\\.acme\\.test/',
    );
    await page.waitForSelector(
      '[data-testid=certificate-list] >> text=DNS:acme.test, DNS:www.acme.test',
    );
    await page.waitForSelector(
      '[data-testid=certificate-list] >> text=/issued by CN=Pebble Intermediate/',
    );
    await page.waitForSelector('[data-testid=acme-list] >> text=acme.test, www.acme.test');
    await shoot(page, 'settings-acme');
    await context.close();
  });

  it('adds a webhook in Settings and sends it a test', async () => {
    const receiver = await startWebhookReceiver();
    const got = receiver.got;
    try {
      const { context, page } = await signedIn();
      await page.goto(`${base}/settings#notifications`);
      const form = page.locator('form[aria-label="Add a webhook"]');
      await form.locator('input[name=name]').fill('ops');
      await form.locator('input[name=url]').fill('not a url');
      await form.locator('button:has-text("Add webhook")').click();
      await page.waitForSelector('text=must be an http:// or https:// URL');
      await form.locator('input[name=url]').fill(receiver.url);
      await form.locator('button:has-text("Add webhook")').click();
      await page.waitForSelector('text=Webhook ops added.');
      await page.click('[data-testid=webhook-list] >> button:has-text("Send a test")');
      await page.waitForSelector('text=A test reached ops.');
      expect(got).toEqual([
        { unit: expect.any(String), event: expect.objectContaining({ severity: 'info' }) },
      ]);
      await page.waitForSelector('[data-testid=webhook-list] >> text=/1 delivered, 0 failed/');
      await context.close();
    } finally {
      await receiver.close();
    }
  });

  it('sets a mail server and an email list in Settings and mails a test', async () => {
    const { context, page } = await signedIn();
    await page.goto(`${base}/settings#notifications`);
    const mail = page.locator('form[aria-label="Mail server"]');
    await mail.locator('input[name=host]').fill(smtp.host);
    await mail.locator('input[name=port]').fill(String(smtp.port));
    await mail.locator('input[name=from]').fill('not mail');
    await mail.locator('input[name=username]').fill(smtp.credentials.user);
    await mail.locator('input[name=password]').fill(smtp.credentials.password);
    await mail.locator('button:has-text("Save mail server")').click();
    await mail.locator('text=must be an email address (name@example.org)').waitFor();
    await mail.locator('input[name=from]').fill('lb@example.org');
    await mail.locator('input[name=password]').fill(smtp.credentials.password);
    await mail.locator('button:has-text("Save mail server")').click();
    await page.waitForSelector('text=Mail server saved.');
    // The password is never shown back; the form says one is kept.
    await page.waitForSelector(
      'form[aria-label="Mail server"] input[placeholder="kept (type to change)"]',
    );
    const list = page.locator('form[aria-label="Add an email list"]');
    await list.locator('input[name=name]').fill('oncall');
    await list.locator('input[name=to]').fill('ops@example.org, lead@example.org');
    await list.locator('button:has-text("Add email list")').click();
    await page.waitForSelector('text=Email list oncall added.');
    await page.click(
      '[data-testid=webhook-list] li:has-text("oncall") >> button:has-text("Send a test")',
    );
    await page.waitForSelector('text=A test reached oncall.');
    expect(smtp.got).toEqual([
      expect.objectContaining({
        user: smtp.credentials.user,
        from: 'lb@example.org',
        to: ['ops@example.org', 'lead@example.org'],
      }),
    ]);
    await page.waitForSelector(
      '[data-testid=webhook-list] li:has-text("oncall") >> text=/1 delivered, 0 failed/',
    );
    await shoot(page, 'settings-notifications');
    await context.close();
  });
});
