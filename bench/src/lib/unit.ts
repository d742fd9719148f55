import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgent, type AgentHandle } from '@tandem/agent/testing/agentProcess';
import type { StatusResponse } from '@tandem/core';

/** A real unit (agent + HAProxy) in a temp dir, torn down by stop(). */
export async function startUnit(
  adminPort: number,
  env: Record<string, string> = {},
): Promise<{ agent: AgentHandle; stop: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'tandem-bench-unit-'));
  const agent = await startAgent(dir, adminPort, { unitName: 'bench-unit', env });
  return {
    agent,
    async stop() {
      await agent.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function desired(agent: AgentHandle): Promise<number | null> {
  return (await agent.api.get<StatusResponse>('/v1/status')).desired;
}
