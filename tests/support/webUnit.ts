import { namedBackend, startAgent, type AgentHandle } from '@tandem/agent/testing/agentProcess';
import type { GenerationSummary, StatusResponse } from '@tandem/core';
import { startAgentOn, type HaproxyRuntime } from './haproxyRuntimes.js';
import { freePort } from './ports.js';

/**
 * A unit with one HTTP service `web` on a loopback port, its one server a backend that answers
 * with `name`: what the crash and power-loss tests kill and start again.
 */
export async function startWebUnit(
  rt: HaproxyRuntime,
  name: string,
  o: { stateDir?: string; env?: Record<string, string> } = {},
) {
  const backend = await namedBackend(name);
  const port = await freePort();
  // A state directory of the test's own (a small filesystem to fill): the host's HAProxy only.
  const { agent, cleanup } = o.stateDir
    ? {
        agent: await startAgent(o.stateDir, await freePort(), { env: o.env ?? {} }),
        cleanup: async () => undefined,
      }
    : await startAgentOn(rt, name, await freePort(), o.env);
  const status = () => agent.api.get<StatusResponse>('/v1/status');
  return {
    agent: agent as AgentHandle,
    port,
    status,
    /** Commits `web` with its one server named `server` (not applied). */
    async putWeb(server: string, message: string): Promise<GenerationSummary> {
      const r = await agent.api.send<{ generation: GenerationSummary }>('PUT', '/v1/services/web', {
        base: (await status()).desired,
        service: {
          name: 'web',
          mode: 'http',
          binds: [{ address: '127.0.0.1', port }],
          defaultBackend: 'app',
          backends: [
            { name: 'app', servers: [{ name: server, address: '127.0.0.1', port: backend.port }] },
          ],
        },
        message,
      });
      return r.generation;
    },
    async stop() {
      await agent.stop();
      backend.server.close();
      await cleanup();
    },
  };
}
export type WebUnit = Awaited<ReturnType<typeof startWebUnit>>;
