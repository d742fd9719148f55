import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consoleIdentity } from '@tandem/agent/adapters/systemUsers';
import { freeTcpPort, startAgent, type AgentHandle } from '@tandem/agent/testing/agentProcess';
import { startConsole, type ConsoleHandle } from '../server/consoleProcess.js';

const WEB_UI = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * A real unit for the browser tests: the agent (with HAProxy) in a fresh directory, and the
 * console server in front of it, run the way the appliance runs it: as the unprivileged
 * tandem-console user when the tests run as root (unless this checkout is out of its reach).
 */
export async function startUnit(prefix: string): Promise<{
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
    env: who.identity ? { TANDEM_CONSOLE_GROUP: String(who.identity.gid) } : {},
  });
  const server = await startConsole(agent.stateDir, who.identity ? { as: who.identity } : {});
  return { dir, agent, server, who };
}
