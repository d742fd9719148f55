import type { AgentHandle } from '@tandem/agent/testing/agentProcess';
import type { StatusResponse } from '@tandem/core';
import { freePort } from './ports.js';

/** Adds a service from a template on top of the unit's desired generation (not applied). */
export async function addService(
  agent: AgentHandle,
  template: string,
  params: Record<string, unknown>,
): Promise<void> {
  const { desired } = await agent.api.get<StatusResponse>('/v1/status');
  await agent.api.send('POST', '/v1/services', { base: desired, template, params });
}

/** An HTTP service in front of loopback backends, checked on /health. */
export const addWebService = (agent: AgentHandle, port: number, backendPorts: number[]) =>
  addService(agent, 'http-load-balancing', {
    name: 'web',
    port,
    servers: backendPorts.map((p) => ({ address: '127.0.0.1', port: p })),
    healthPath: '/health',
  });

export interface ApplyAnswer {
  generation: number;
  outcome: string;
  freshServers?: string[];
  previousWorker?: { connectionsOnPreviousWorker: number; previousWorkerStopsAt: number | null };
}

/**
 * An apply that changes nothing the test's servers depend on: a TCP service named
 * `extra<n>` is added, and the unit reloads.
 */
export async function unrelatedApply(agent: AgentHandle, n: number): Promise<ApplyAnswer> {
  await addService(agent, 'tcp-port-map', {
    name: `extra${n}`,
    port: await freePort(),
    servers: [{ address: '127.0.0.1', port: 9 }],
  });
  return agent.api.send<ApplyAnswer>('POST', '/v1/apply', {});
}
