import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { programVersion } from '@tandem/agent/adapters/programVersion';
import { freeTcpPort, startAgent, type AgentHandle } from '@tandem/agent/testing/agentProcess';
import { SystemInfo } from '@tandem/core';
import { afterAll, beforeAll, expect, it } from 'vitest';

/** GET /v1/system against the real agent: the contract's shape, and versions that are true. */
let dir: string;
let agent: AgentHandle;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tandem-system-'));
  agent = await startAgent(join(dir, 'unit'), await freeTcpPort());
});
afterAll(async () => {
  await agent?.stop();
  await rm(dir, { recursive: true, force: true });
});

it('reports what the unit runs: Tandem, HAProxy, keepalived and Node versions, disk and memory', async () => {
  const info = SystemInfo.parse(await agent.api.get('/v1/system'));
  expect(info.versions.tandem).toMatch(/^\d+\.\d+\.\d+/);
  expect(info.versions.node).toBe(process.versions.node);
  expect(info.versions.haproxy).toMatch(/^\d+\.\d+/);
  expect(info.versions.keepalived).toBe(await programVersion(['keepalived']));
  expect(info.versions.keepalived).toMatch(/^2\.\d+/);
  expect(info.disk.path).toBe(agent.stateDir);
  expect(info.disk.freeBytes).toBeGreaterThan(0);
  expect(info.disk.freeBytes).toBeLessThanOrEqual(info.disk.totalBytes);
  expect(info.memory.agentRssBytes).toBeGreaterThan(10 * 1024 * 1024);
  expect(info.databases.configBytes).toBeGreaterThan(0);
});
