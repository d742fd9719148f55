/**
 * Stats sampler cost: CPU time of the agent process with a 200-server service, sampling every
 * second, against the same unit with sampling off (the reference), measured in the same run.
 * Usage: npm run bench -- sampler   (BENCH_SECONDS per phase, default 60)
 */
import type { AgentHandle } from '@tandem/agent/testing/agentProcess';
import { cpuSeconds } from './lib/cpu.js';
import { desired, startUnit } from './lib/unit.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const SERVERS = 200;

async function phase(
  intervalMs: number,
  adminPort: number,
  port: number,
): Promise<{ cpu: number; ticks: number }> {
  const unit = await startUnit(adminPort, { TANDEM_STATS_INTERVAL_MS: String(intervalMs) });
  try {
    const agent: AgentHandle = unit.agent;
    await agent.api.send('PUT', '/v1/services/big', {
      base: await desired(agent),
      service: {
        name: 'big',
        mode: 'http',
        binds: [{ address: '127.0.0.1', port }],
        defaultBackend: 'pool',
        backends: [
          {
            name: 'pool',
            // Addresses in the benchmarking range, never contacted: no health checks.
            servers: Array.from({ length: SERVERS }, (_, i) => ({
              name: `s${i}`,
              address: `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`,
              port: 80,
              check: false,
            })),
          },
        ],
      },
    });
    await agent.api.send('POST', '/v1/apply', {});
    await new Promise((r) => setTimeout(r, 3000));
    const pid = agent.pid();
    if (pid === null) throw new Error('agent not running');
    const before = await cpuSeconds(pid);
    const ticksBefore =
      (await agent.api.get<{ stats: { ticks: number } | null }>('/v1/status')).stats?.ticks ?? 0;
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const cpu = (await cpuSeconds(pid)) - before;
    const ticks =
      ((await agent.api.get<{ stats: { ticks: number } | null }>('/v1/status')).stats?.ticks ?? 0) -
      ticksBefore;
    return { cpu, ticks };
  } finally {
    await unit.stop();
  }
}

const off = await phase(0, 19602, 19600);
const on = await phase(1000, 19603, 19601);
const pct = (cpu: number) => ((cpu / SECONDS) * 100).toFixed(2);
console.log(`stats sampler, ${SERVERS} servers (+ backend and frontends), ${SECONDS} s per phase`);
console.log(
  `  agent idle, sampler off (reference): ${off.cpu.toFixed(2)} s CPU = ${pct(off.cpu)}% of one core`,
);
console.log(
  `  agent, sampler at 1 Hz:              ${on.cpu.toFixed(2)} s CPU = ${pct(on.cpu)}% of one core, ${on.ticks} samples`,
);
console.log(
  `  sampler cost: ${pct(on.cpu - off.cpu)}% of one core (${(((on.cpu - off.cpu) / Math.max(1, on.ticks)) * 1000).toFixed(2)} ms per sample); ratio on/off ${(on.cpu / Math.max(0.01, off.cpu)).toFixed(2)}`,
);
