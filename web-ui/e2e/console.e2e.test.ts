import { readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { freeTcpPort, type AgentHandle } from '@tandem/agent/testing/agentProcess';
import { chromium, type Browser, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brightPixels } from './pixels.js';
import { shoot } from './screenshots.js';
import type { ConsoleHandle } from '../server/consoleProcess.js';
import { startUnit } from './unit.js';
import { certificatePair, servedCommonName, sshPublicKey } from './wire.js';

/**
 * The console end to end: a real agent (with HAProxy), the real console server (HTTPS, its own
 * self-signed certificate) and Debian's chromium driven by Playwright. Screenshots of each page,
 * light and dark, go to test-results/screenshots (and to docs/console/ with UPDATE_SCREENSHOTS=1).
 */
const PW = 'a long enough passphrase';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the page says the apply it started has finished. An apply on a busy 2-core machine
 * takes seconds (check, reload, verify): the page's own answer is the signal, and the long bound
 * only turns a hang into a failure (the default one-second poll failed while it said "Applying…").
 */
async function untilApplied(page: Page, outcome = /Generation \d+ is running/) {
  await expect.poll(() => page.textContent('body'), { timeout: 90_000 }).toMatch(outcome);
}

let agent: AgentHandle;
let dir: string;
let server: ConsoleHandle;
let browser: Browser;
let base: string;
let servicePort = 0;
let backendPort = 0;
let backend: Server;

beforeAll(async () => {
  backend = createServer((_req, res) => res.end('hello from the backend\n'));
  backendPort = await freeTcpPort();
  await new Promise<void>((r) => backend.listen(backendPort, '127.0.0.1', r));
  servicePort = await freeTcpPort();
  ({ dir, agent, server } = await startUnit('tandem-e2e-'));
  base = server.base;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
});

afterAll(async () => {
  // A figure for docs/performance.md (measured, not asserted): the console after the whole run.
  const rss = await readFile(`/proc/${server?.pid ?? 0}/status`, 'utf8').catch(() => '');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(rss)?.[1] ?? 0);
  if (kb > 0) console.log(`console server RSS after the e2e run: ${(kb / 1024).toFixed(0)} MB`);
  await browser?.close();
  server?.stop();
  await agent?.stop();
  backend?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the console', () => {
  it('sets up the first admin with the token from the agent log, then signs in and out', async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const cspErrors: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    await page.goto(`${base}/`);
    await page.waitForURL(/\/setup$/);
    await shoot(page, 'setup');
    const token = /setup token (\S+)/.exec(agent.log())?.[1] ?? '';
    expect(token).not.toBe('');
    // A wrong token is refused with a message next to the field.
    await page.fill('input[name=token]', 'not-the-token');
    await page.fill('input[name=name]', 'ann');
    await page.fill('input[name=password]', PW);
    await page.click('button');
    await expect.poll(() => page.textContent('form')).toMatch(/does not match the token/);
    await page.fill('input[name=token]', token);
    await page.click('button');
    await page.waitForURL(`${base}/`);
    await expect.poll(() => page.textContent('header')).toMatch(/ann \(admin\)/);
    await expect.poll(() => page.textContent('body')).toMatch(/agent started/);
    // The session is an HttpOnly, Secure, SameSite=Strict cookie that scripts cannot read.
    const cookie = (await context.cookies()).find((c) => c.name === '__Host-tandem_session');
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' });
    expect(await page.evaluate(() => document.cookie)).toBe('');
    await page.click('text=Sign out');
    await page.waitForURL(/\/login$/);
    await shoot(page, 'login');
    await page.fill('input[name=name]', 'ann');
    await page.fill('input[name=password]', PW);
    await page.click('button');
    await page.waitForURL(`${base}/`);
    await expect.poll(() => page.textContent('header')).toMatch(/ann/);

    // A service from the template gallery, through the generated form. A bad value first: the
    // agent's field error shows next to the field and nothing is committed.
    const desiredNow = async () =>
      ((await (await page.request.get(`${base}/api/v1/status`)).json()) as { desired: number })
        .desired;
    const before = await desiredNow();
    await page.click('nav >> text=Services');
    await page.waitForURL(`${base}/services`);
    await page.click('button:has-text("HTTP load balancing")');
    await page.fill('input[name=name]', 'web');
    await page.fill('input[name=port]', '70000');
    await page.fill('input[name="servers[0].address"]', '127.0.0.1');
    await page.fill('input[name="servers[0].port"]', String(backendPort));
    await page.click('text=Create service');
    await expect
      .poll(() => page.textContent('form'))
      .toMatch(/Port[\s\S]*(at most|65535|less than)/i);
    expect(await desiredNow()).toBe(before);
    await shoot(page, 'services-field-error');
    await page.fill('input[name=port]', String(servicePort));
    await page.click('text=Create service');
    // The next step is where the eyes are: the pending panel in view, its Apply button focused
    // (no toast in a corner pointing elsewhere).
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Apply');
    expect(
      await page.locator('[aria-label="Pending changes"] >> text=Apply').evaluate((el) => {
        const r = el.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight;
      }),
    ).toBe(true);
    expect(await page.locator('[role=status]:has-text("committed")').count()).toBe(0);
    // The pending banner shows what will change in haproxy.cfg, then applies it.
    await expect
      .poll(() => page.textContent('[aria-label="Pending changes"]'))
      .toMatch(/\+frontend web/);
    await shoot(page, 'services-pending');
    await page.click('[aria-label="Pending changes"] >> text=Apply');
    await untilApplied(page, /Generation \d+ is running \(reload in \d+ ms\)/);
    await page.click('nav >> text=Dashboard');
    // Steady traffic from now on; the requests chart must show it within 5 s.
    let sending = true;
    let sent = 0;
    const traffic = (async () => {
      while (sending) {
        await (await fetch(`http://127.0.0.1:${servicePort}/`)).text();
        sent++;
      }
    })();
    // Waits for what the page says; how soon is the console bench's business, not a bound here.
    await expect
      .poll(
        async () =>
          Number.parseFloat((await page.textContent('[data-testid=latest-requests]')) ?? ''),
        { timeout: 30_000, interval: 250 },
      )
      .toBeGreaterThan(0);
    // At 1,280 px the header is one row, and every page is as wide as the dashboard.
    const header = async () => ({
      nav: await page.locator('nav[aria-label=Main]').boundingBox(),
      user: await page.locator('[data-testid=user-controls]').boundingBox(),
      width: (await page.locator('header').boundingBox())?.width,
    });
    const top = await header();
    expect(page.viewportSize()?.width).toBe(1280);
    expect(Math.abs((top.nav?.y ?? 0) - (top.user?.y ?? 1e9))).toBeLessThan(top.nav?.height ?? 0);
    await page.click('nav >> text=Services');
    await page.waitForURL(`${base}/services`);
    expect((await header()).width).toBe(top.width);
    await page.click('nav >> text=Dashboard');
    await page.waitForURL(`${base}/`);
    // Legends in words, not HAProxy's field names (the canvas's label lists what it draws).
    expect(await page.getAttribute('figure:has-text("Errors/s") canvas', 'aria-label')).toBe(
      'Chart of 4xx responses/s, 5xx responses/s, Bad requests/s',
    );
    await sleep(1_500);
    sending = false;
    await traffic;
    expect(sent).toBeGreaterThan(10);
    // Enough requests for more than one page of the log viewer (500 rows), bounded.
    for (let i = 0; i < 60; i++)
      await Promise.all(
        Array.from({ length: 10 }, () =>
          fetch(`http://127.0.0.1:${servicePort}/`).then((r) => r.text()),
        ),
      );
    await expect.poll(() => page.textContent('body')).toMatch(/s1\s*UP|UP/);
    await shoot(page, 'dashboard-traffic');

    // Drain a server: live, no reload.
    await page.click('nav >> text=Services');
    await page.click('text=Drain');
    await expect
      .poll(() => page.textContent('[role=status]'))
      .toMatch(/web1 is drain: live, no reload/);
    // HAProxy's own view, beside the configured state.
    await expect
      .poll(() => page.textContent('[aria-label="web backend app"]'), { timeout: 10_000 })
      .toMatch(/web1.*DRAIN.*set drain/);
    // A weight, live as well.
    await page.fill('input[aria-label="Weight of web1"]', '5');
    await page.click('[aria-label="web backend app"] li:has-text("web1") >> button:text-is("Set")');
    await expect
      .poll(() => page.textContent('[role=status]'))
      .toMatch(/web1 has weight 5: live, no reload/);
    await shoot(page, 'services');

    // Edit the service through its template: preview the haproxy.cfg change (nothing committed),
    // save, apply. What was changed live (drained, weight 5) survives the edit.
    const beforeEdit = await desiredNow();
    await page.click('li:has(h3:text-is("web")) >> button:text-is("Edit")');
    await expect.poll(() => page.inputValue('input[name=name]')).toBe('web');
    await page.fill('input[name=healthPath]', '/healthz');
    await page.click('text=Preview haproxy.cfg');
    await expect.poll(() => page.textContent('[aria-label=Preview]')).toMatch(/\+.*\/healthz/);
    expect(await desiredNow()).toBe(beforeEdit);
    await shoot(page, 'services-edit');
    await page.click('text=Save changes');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Apply');
    await page.click('[aria-label="Pending changes"] >> text=Apply');
    await untilApplied(page);
    await expect
      .poll(() => page.textContent('li:has(h3:text-is("web"))'))
      .toMatch(/web1.*drain.*weight 5/);

    // Advanced: every field as JSON. A value out of range is refused with its path, in place.
    const beforeAdvanced = await desiredNow();
    await page.click('li:has(h3:text-is("web")) >> button:text-is("Advanced")');
    const json = await page.inputValue('textarea[name=service]');
    await page.fill(
      'textarea[name=service]',
      json.replace('"name": "web",', '"name": "web", "maxconn": 0,'),
    );
    await page.click('text=Preview haproxy.cfg');
    // The path says which service by name, not by its place in the configuration.
    await expect.poll(() => page.textContent('[role=alert]')).toMatch(/service "web": maxconn/);
    expect(await desiredNow()).toBe(beforeAdvanced);
    // The error links the model reference's row for the field (in a new tab: the edit stays).
    const link = page.locator('[role=alert] a:text-is("(reference)")');
    expect(await link.getAttribute('href')).toBe('/reference#field-maxconn');
    const [reference] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await reference.waitForSelector('li#field-maxconn:has-text("1 to 1000000")');
    // The row is the one the address names, marked and in view.
    await reference.waitForFunction(() => {
      const row = document.querySelector('li[aria-current=location]');
      const box = row?.getBoundingClientRect();
      return (
        row?.id === 'field-maxconn' && box !== undefined && box.top >= 0 && box.top < innerHeight
      );
    });
    // The window as the link left it (the whole list is a few metres long).
    await shoot(reference, 'reference', false);
    await reference.close();
    await page.click('button:text-is("Cancel")');

    // The requests are in the log viewer, with their detail in words.
    await page.click('nav >> text=Logs');
    await page.waitForURL(`${base}/logs`);
    await expect
      .poll(() => page.textContent('table'), { timeout: 5_000 })
      .toMatch(/web\.app \/ web1/);
    // A full page of 500, of which only the rows in view are in the DOM; older ones on request.
    await expect.poll(() => page.textContent('body')).toMatch(/(?<!\d)500 requests, newest first/);
    expect(await page.locator('tbody tr[tabindex]').count()).toBeLessThan(100);
    await page.click('text=Load older requests');
    await expect
      .poll(async () =>
        Number(/(\d+) requests, newest first/.exec((await page.textContent('body')) ?? '')?.[1]),
      )
      .toBeGreaterThan(600);
    await page
      .locator('[tabindex="0"]')
      .last()
      .evaluate((el) => el.scrollIntoView());
    expect(await page.locator('tbody tr[tabindex]').count()).toBeLessThan(100);
    await page.evaluate(() => document.querySelector('.overflow-auto')?.scrollTo(0, 0));
    await shoot(page, 'logs');
    await page.click('tbody tr:has-text("web.app / web1") >> nth=0');
    await expect.poll(() => page.textContent('[role=dialog]')).toMatch(/--: ended normally/);
    await shoot(page, 'logs-detail');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('[role=dialog]').count()).toBe(0);
    // Export saves a file: every field, the time in ISO 8601 (not raw text in a new tab).
    const [csvFile] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[aria-label="Export the filtered requests as CSV"]'),
    ]);
    expect(csvFile.suggestedFilename()).toMatch(/^tandem-logs-[\dT-]+Z\.csv$/);
    const csvText = await readFile((await csvFile.path()) ?? '', 'utf8');
    const [csvHead, csvFirst] = csvText.split('\r\n');
    expect(csvHead).toMatch(/^id,time,at,.*,userAgent,.*,totalMs,/);
    expect(csvFirst).toMatch(/^\d+,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z,/);
    await page.fill('input[name=status]', '5xx');
    await page.click('form >> text=Filter');
    await expect.poll(() => page.textContent('main, body')).toMatch(/No requests match/);
    await page.fill('input[name=status]', '');
    await page.selectOption('select[name=range]', { label: 'Last 15 minutes' });
    await page.click('form >> text=Filter');
    await expect.poll(() => page.textContent('body')).toMatch(/(?<!\d)500 requests, newest first/);
    // Filters take the names the Services page shows: a service, a backend as service/backend.
    await page.fill('input[name=service]', 'web');
    await page.fill('input[name=backend]', 'web/app');
    await page.click('form >> text=Filter');
    await expect.poll(() => page.textContent('body')).toMatch(/(?<!\d)500 requests, newest first/);
    await page.fill('input[name=backend]', 'web/none');
    await page.click('form >> text=Filter');
    await expect.poll(() => page.textContent('main, body')).toMatch(/No requests match/);
    await page.fill('input[name=service]', '');
    await page.fill('input[name=backend]', '');

    // Roll back to the first generation (before the service), then apply it.
    await page.click('nav >> text=History');
    await page.waitForURL(`${base}/history`);
    await page.click('text=Generation 2');
    await expect.poll(() => page.textContent('pre')).toMatch(/\+frontend web/);
    await shoot(page, 'history');
    await page.click('li:has(button:text-is("Generation 1")) >> text=Roll back to this');
    await expect.poll(() => page.textContent('[role=status]')).toMatch(/equals generation 1/);
    await page.click('[aria-label="Pending changes"] >> text=Apply');
    await untilApplied(page);
    const st = (await (await page.request.get(`${base}/api/v1/status`)).json()) as {
      running: number;
      desired: number;
    };
    expect(st.running).toBe(st.desired);
    expect(
      ((await (await page.request.get(`${base}/api/v1/services`)).json()) as unknown[]).length,
    ).toBe(0);

    // A standalone unit says so on the cluster page.
    await page.click('nav >> text=Cluster');
    await page.waitForURL(`${base}/cluster`);
    await expect.poll(() => page.textContent('body')).toMatch(/standalone/);
    await shoot(page, 'cluster');

    // The terminal: the password again (sudo mode), then a shell that runs echo. Audited.
    await page.click('nav >> text=Terminal');
    await page.waitForURL(`${base}/terminal`);
    await page.fill('input[name=password]', PW);
    await page.click('text=Open the terminal');
    await expect
      .poll(() => page.textContent('[data-testid=terminal-state]'), { timeout: 10_000 })
      .toBe('Connected');
    await page.click('.xterm');
    await page.keyboard.type('echo tandem-$((6*7))\n');
    await expect
      .poll(() => page.textContent('.xterm-rows'), { timeout: 10_000 })
      .toMatch(/tandem-42/);
    // Paste from the clipboard (Ctrl+Shift+V; Ctrl+V alone would be the shell's).
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    await page.evaluate(() => navigator.clipboard.writeText('echo pasted-$((40+2))'));
    await page.keyboard.press('Control+Shift+V');
    await expect
      .poll(() => page.textContent('.xterm-rows'), { timeout: 10_000 })
      .toContain('echo pasted-$((40+2))');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.textContent('.xterm-rows'), { timeout: 10_000 })
      .toMatch(/pasted-42/);
    // Underscores show: a line height that clipped them made `x86_64` read "x86 64". A row of
    // them alone, two empty rows under it, and a look at the pixels of the three rows.
    await page.keyboard.type("printf '%s\\n\\n\\n' ________________\n");
    const rows = page.locator('.xterm-rows > div');
    const underscores = async () =>
      rows.evaluateAll((els) => els.findIndex((e) => e.textContent?.trim() === '________________'));
    await expect.poll(underscores, { timeout: 10_000 }).toBeGreaterThanOrEqual(0);
    const row = await rows.nth(await underscores()).boundingBox();
    if (!row) throw new Error('the row of underscores has no box');
    const lit = await brightPixels(context, page, { ...row, height: row.height * 3 });
    expect(lit).toBeGreaterThan(16);
    // ...and the terminal ends where its frame does (no strip of it below).
    const frame = await page.locator('[data-testid=terminal-frame]').boundingBox();
    const xterm = await page.locator('.xterm').boundingBox();
    expect((xterm?.y ?? 0) + (xterm?.height ?? 0)).toBeLessThanOrEqual(
      (frame?.y ?? 0) + (frame?.height ?? 0) + 0.5,
    );
    await shoot(page, 'terminal');
    // Settings: a weak password is refused in place; system information is there.
    await page.click('nav >> text=Settings');
    await page.waitForURL(`${base}/settings`);
    await page.fill('form[aria-label="Add a user"] input[name=name]', 'eve');
    await page.fill('form[aria-label="Add a user"] input[name=password]', 'short');
    await page.click('text=Add user');
    await expect
      .poll(() => page.textContent('form[aria-label="Add a user"]'))
      .toMatch(/at least 12 characters/);
    await page.fill('form[aria-label="Add a user"] input[name=password]', 'password1234');
    await page.click('text=Add user');
    await expect
      .poll(() => page.textContent('form[aria-label="Add a user"]'))
      .toMatch(/too easy to guess: .*commonly used password/);
    await expect.poll(() => page.textContent('body')).toMatch(/State disk/);
    await shoot(page, 'settings');
    // A certificate of our own: a mismatched key is refused in place; the right pair is served
    // to new connections at once, without a restart.
    const mine = await certificatePair('console.example');
    const other = await certificatePair('other.example');
    await page.fill('textarea[name=certificate]', mine.certificate);
    await page.fill('textarea[name=key]', other.key);
    await page.click('text=Install certificate');
    await expect
      .poll(() => page.textContent('form[aria-label="Upload a certificate"]'))
      .toMatch(/does not match/);
    await page.fill('textarea[name=key]', mine.key);
    await page.click('text=Install certificate');
    await expect
      .poll(() => page.textContent('[data-testid=certificate]'))
      .toMatch(/CN=console\.example/);
    await expect.poll(() => servedCommonName(base), { timeout: 5_000 }).toBe('console.example');
    // SSH login keys (this session is in sudo mode since the terminal): a malformed key is
    // refused in place; a real one is listed with its fingerprint, and removed again.
    await page.fill('textarea[name=publicKey]', 'ssh-ed25519 AAAA ops@laptop');
    await page.click('text=Add key');
    await expect
      .poll(() => page.textContent('form[aria-label="Add an SSH key"]'))
      .toMatch(/not a valid public key/);
    await page.fill('textarea[name=publicKey]', sshPublicKey('ops@laptop'));
    await page.click('text=Add key');
    await expect
      .poll(() => page.textContent('[data-testid=ssh-keys]'))
      .toMatch(/ops@laptop\s*ssh-ed25519\s*SHA256:/);
    await page.locator('[data-testid=ssh-keys] li').first().scrollIntoViewIfNeeded();
    await shoot(page, 'settings-ssh-keys');
    await page.click('[data-testid=ssh-keys] >> text=Remove');
    await expect.poll(() => page.textContent('body')).toMatch(/nobody can log in until a key/);
    // Backup: the download is the whole history; a tampered file is refused with the field named.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('text=Download backup'),
    ]);
    const backup = JSON.parse(await readFile((await download.path()) ?? '', 'utf8')) as {
      generations: { config: { services: { binds: { port: number }[] }[] } }[];
    };
    expect(backup.generations.length).toBeGreaterThan(3);
    const tampered = structuredClone(backup);
    const withService = tampered.generations.find((g) => g.config.services.length > 0);
    withService!.config.services[0]!.binds[0]!.port = 70_000;
    tampered.generations = [withService!];
    await page.setInputFiles('input[name=restore]', {
      name: 'tandem-backup.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(tampered)),
    });
    await expect.poll(() => page.textContent('body')).toMatch(/binds\[0\]\.port/);
    // A good file: first what it would change and a question; Cancel leaves everything as it
    // was, Restore commits it as a new generation.
    const statusNow = async () =>
      (await (await page.request.get(`${base}/api/v1/status`)).json()) as { desired: number };
    const desiredBefore = (await statusNow()).desired;
    // A generation that had a service (by now the desired configuration has none).
    const first = structuredClone(backup);
    first.generations = [backup.generations.find((g) => g.config.services.length > 0)!];
    const chooseFirst = () =>
      page.setInputFiles('input[name=restore]', {
        name: 'first.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(first)),
      });
    await chooseFirst();
    await expect
      .poll(() => page.textContent('[role=dialog][aria-label="Confirm the restore"]'))
      .toMatch(/Restore first\.json\?[\s\S]*\+frontend \w+/);
    await shoot(page, 'settings-restore-confirm');
    await page.click('[aria-label="Confirm the restore"] >> text=Cancel');
    await expect.poll(() => page.locator('[aria-label="Confirm the restore"]').count()).toBe(0);
    expect((await statusNow()).desired).toBe(desiredBefore);
    await page.setInputFiles('input[name=restore]', []);
    await chooseFirst();
    await page.click('[aria-label="Confirm the restore"] >> button:has-text("Restore")');
    await expect
      .poll(() => page.textContent('body'))
      .toMatch(new RegExp(`Restored as generation ${desiredBefore + 1}`));
    const audit = (await (await page.request.get(`${base}/api/v1/audit`)).json()) as {
      action: string;
    }[];
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['sudo', 'terminal-opened']));
    // The audit page: the walk's actions in words, with where they came from; filterable.
    await page.click('nav >> text=Audit');
    await page.waitForURL(`${base}/audit`);
    const auditText = () => page.textContent('[data-testid=audit-rows]');
    for (const done of [
      /set up the unit/,
      /signed in/,
      /applied/,
      /opened the terminal/,
      /restored a backup/,
      /127\.0\.0\.1/,
    ])
      await expect.poll(auditText).toMatch(done);
    await shoot(page, 'audit');
    await page.selectOption('select[name=kind]', { label: 'Terminal sessions' });
    await page.click('form[aria-label="Filter the audit log"] >> text=Filter');
    await expect.poll(auditText).not.toMatch(/signed in|applied/);
    expect(await auditText()).toMatch(/opened the terminal/);
    await page.click('nav >> text=Settings');
    await page.waitForURL(`${base}/settings`);

    // The theme switch overrides the system setting and is remembered.
    await page.selectOption('select[aria-label=Theme]', 'dark');
    await expect
      .poll(() => page.evaluate(() => document.documentElement.dataset.theme))
      .toBe('dark');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).not.toBe('rgb(248, 250, 252)');
    await page.reload();
    await expect
      .poll(() => page.evaluate(() => document.documentElement.dataset.theme))
      .toBe('dark');
    await page.selectOption('select[aria-label=Theme]', 'system');
    await expect
      .poll(() => page.evaluate(() => document.documentElement.dataset.theme ?? 'none'))
      .toBe('none');

    // Every page ran its scripts under the nonce CSP without a single violation.
    expect(cspErrors).toEqual([]);
    await context.close();
    // A whole walk through the console (about 45 s alone): a bound for a busy machine, not a figure.
  }, 240_000);
});
