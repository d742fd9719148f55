import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consoleIdentity } from '@tandem/agent/adapters/systemUsers';
import { freeTcpPort, startAgent, type AgentHandle } from '@tandem/agent/testing/agentProcess';
import { chromium, type Browser } from 'playwright';
import { startConsole, type ConsoleHandle } from '../server/consoleProcess.js';

const WEB_UI = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * A real unit for the browser tests: the agent (with HAProxy) in a fresh directory, and the
 * console server in front of it, run the way the appliance runs it: as the unprivileged
 * tandem-console user when the tests run as root (unless this checkout is out of its reach).
 */
export async function startUnit(
  prefix: string,
  /** More environment for the agent (an ACME test's CA to trust). */
  env: Record<string, string> = {},
): Promise<{
  dir: string;
  agent: AgentHandle;
  server: ConsoleHandle;
  who: ReturnType<typeof consoleIdentity>;
}> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o711);
  const who = consoleIdentity(WEB_UI);
  if (who.identity === null) console.warn(`the console runs as this user: ${who.reason}`);
  const agent = await startAgent(join(dir, 'unit'), await freeTcpPort(), {
    env: { ...env, ...(who.identity ? { TANDEM_CONSOLE_GROUP: String(who.identity.gid) } : {}) },
  });
  // A console that does not start (no build yet) must not leave the agent and its HAProxy
  // running: the caller never gets a handle to stop them.
  const server = await startConsole(agent.stateDir, who.identity ? { as: who.identity } : {}).catch(
    async (e: unknown) => {
      await agent.stop();
      throw e;
    },
  );
  return { dir, agent, server, who };
}

/**
 * The first admin of a fresh unit, made through the console with the one-time setup token the
 * agent printed in its log (as the setup page does); throws unless the console said 200.
 */
export async function setUpFirstAdmin(
  browser: Browser,
  unit: { agent: AgentHandle; server: ConsoleHandle },
  name: string,
  password: string,
): Promise<void> {
  const token = /setup token (\S+)/.exec(unit.agent.log())?.[1] ?? '';
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const r = await context.request.post(`${unit.server.base}/api/v1/auth/setup`, {
    data: { token, name, password },
    headers: { origin: unit.server.base },
  });
  await context.close();
  if (r.status() !== 200) throw new Error(`setup answered ${r.status()}`);
}

/**
 * A unit for a browser test with chromium open and its first admin made: what most console tests
 * start from. `close()` stops the browser, the console and the agent, and removes the directory.
 */
export async function startUnitWithAdmin(
  prefix: string,
  admin: { name: string; password: string },
  env: Record<string, string> = {},
) {
  const unit = await startUnit(prefix, env);
  const browser = await chromium
    .launch({ executablePath: '/usr/bin/chromium', headless: true })
    .catch(async (e: unknown) => {
      unit.server.stop();
      await unit.agent.stop();
      throw e;
    });
  const close = async () => {
    await browser.close();
    unit.server.stop();
    await unit.agent.stop();
    await rm(unit.dir, { recursive: true, force: true });
  };
  await setUpFirstAdmin(browser, unit, admin.name, admin.password).catch(async (e: unknown) => {
    await close();
    throw e;
  });
  return { ...unit, browser, close };
}
