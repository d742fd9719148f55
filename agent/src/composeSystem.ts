import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { HaproxyMaster } from './adapters/haproxyMaster.js';
import { createFileWriter } from './adapters/atomicFiles.js';
import { createHostInfo } from './adapters/hostInfo.js';
import { programVersion } from './adapters/programVersion.js';
import type { AgentEnv } from './env.js';
import { createSshKeys } from './services/sshKeys.js';
import { createSystemInfo } from './services/systemInfo.js';

// The agent's package version is Tandem's (the workspace releases as one).
const TANDEM_VERSION = (createRequire(import.meta.url)('../package.json') as { version: string })
  .version;

/**
 * Part of the agent's composition root (main.ts): the unit's own figures (uptime, database
 * sizes) for /metrics, the system information service behind the Settings page, and the SSH
 * login keys (on the appliance, sshd reads them from the data partition).
 */
export async function composeSystem(o: {
  env: AgentEnv;
  master: Pick<HaproxyMaster, 'showProc'>;
  startedAt: number;
}) {
  const dir = o.env.stateDir;
  const fileBytes = (path: string) =>
    [path, `${path}-wal`].reduce((sum, p) => sum + (existsSync(p) ? statSync(p).size : 0), 0);
  const agentFigures = () => ({
    uptimeSeconds: (Date.now() - o.startedAt) / 1000,
    configBytes: fileBytes(join(dir, 'tandem.db')),
    telemetryBytes: fileBytes(join(dir, 'telemetry.db')),
  });
  const system = createSystemInfo({
    unitName: o.env.unitName,
    host: createHostInfo(dir),
    master: o.master,
    versions: {
      tandem: TANDEM_VERSION,
      keepalived: await programVersion(o.env.keepalivedCommand),
    },
    nodeVersion: process.versions.node,
    agent: agentFigures,
  });
  const sshKeys = createSshKeys({
    files: createFileWriter(),
    path: join(dir, 'ssh', 'authorized_keys'),
  });
  return { system, agentFigures, sshKeys };
}
