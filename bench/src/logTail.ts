/**
 * The Logs page's live tail over 50 filter changes (npm run bench -- logtail): the agent's open
 * live streams (tandem_live_streams) and RSS before and after, with a page left open in Debian's
 * chromium. Reference in the same run: the same figures with the page open and no filter change.
 * Before issue 13's fix every filter change left one more stream open in the agent.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeTcpPort, startAgent } from '@tandem/agent/testing/agentProcess';
import { startConsole } from '@tandem/web-ui/testing/consoleProcess';
import { chromium } from 'playwright';

const CHANGES = Number(process.env.BENCH_ROUNDS ?? 50);
const PW = 'a long enough passphrase';

function post(url: string, body: string, origin: string) {
  return new Promise<string[]>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        rejectUnauthorized: false,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve((res.headers['set-cookie'] as string[] | undefined) ?? []));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const dir = await mkdtemp(join(tmpdir(), 'tandem-bench-logtail-'));
const agent = await startAgent(join(dir, 'unit'), await freeTcpPort());
const server = await startConsole(agent.stateDir);
const base = server.base;
const streams = async () =>
  Number(/^tandem_live_streams (\d+)$/m.exec(await agent.api.text('/metrics'))?.[1] ?? Number.NaN);
const rssMb = async () =>
  Number(
    /VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${agent.pid() ?? 0}/status`, 'utf8'))?.[1] ?? 0,
  ) / 1024;
/** Until the agent's count of open streams is `n` (a closed tab takes a moment to reach it). */
const settle = async (n: number) => {
  const deadline = Date.now() + 15_000;
  while ((await streams()) !== n && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  return streams();
};
try {
  const token = /setup token (\S+)/.exec(agent.log())?.[1] ?? '';
  const cookies = await post(
    `${base}/api/v1/auth/setup`,
    JSON.stringify({ token, name: 'ann', password: PW }),
    base,
  );
  const cookie = (cookies[0] ?? '').split(';')[0] ?? '';
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  await context.addCookies([
    { name: '__Host-tandem_session', value: cookie.split('=')[1] ?? '', url: base },
  ]);
  const page = await context.newPage();
  await page.goto(`${base}/logs`);
  await page.check('text=Live tail');
  const referenceStreams = await settle(1);
  const referenceRss = await rssMb();
  for (let i = 0; i < CHANGES; i++) {
    await page.fill('input[name=status]', i % 2 === 0 ? '2xx' : '');
    await page.click('form >> text=Filter');
    await page.waitForLoadState('networkidle').catch(() => undefined);
  }
  const afterStreams = await settle(1);
  const afterRss = await rssMb();
  await browser.close();
  const closedStreams = await settle(0);
  console.log(`live tail over ${CHANGES} filter changes on the Logs page (chromium, this machine)`);
  console.log(
    `  agent open streams: ${afterStreams} after the changes (reference: ${referenceStreams} with the page open, before them); ${closedStreams} once the page closed`,
  );
  console.log(
    `  agent RSS: ${afterRss.toFixed(1)} MB after (reference ${referenceRss.toFixed(1)} MB before): ratio ${(afterRss / referenceRss).toFixed(3)}`,
  );
} finally {
  server.stop();
  await agent.stop();
  await rm(dir, { recursive: true, force: true });
}
