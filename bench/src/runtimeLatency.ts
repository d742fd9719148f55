/**
 * Runtime change latency: `server set --weight` through the agent (validated, committed as a
 * generation, applied live, file rewritten) vs the bare Runtime API command on the socket, in
 * the same run; and a 1,000-server scale-up in one API call vs 1,000 bare `add server` commands.
 * Usage: npm run bench -- runtime
 */
import { join } from 'node:path';
import { unixCommand } from '@tandem/agent/adapters/unixCommand';
import { ms, percentile, ratio, timed } from './lib/stats.js';
import { desired, startUnit } from './lib/unit.js';

const CHANGES = Number(process.env.BENCH_ROUNDS ?? 100);

async function main(): Promise<void> {
  const unit = await startUnit(19302);
  try {
    const { api } = unit.agent;
    const backend = (name: string) => ({
      name,
      servers: [{ name: 's1', address: '127.0.0.1', port: 9, check: false }],
    });
    await api.send('PUT', '/v1/services/web', {
      base: await desired(unit.agent),
      service: {
        name: 'web',
        mode: 'http',
        binds: [{ address: '127.0.0.1', port: 19300 }],
        defaultBackend: 'app',
        // The scale backend starts empty (one runtime slot keeps it valid) so it can take 1,000.
        backends: [
          backend('app'),
          { name: 'scale', serverTemplate: { prefix: 'slot', count: 1, port: 9 } },
          backend('raw'),
        ],
      },
    });
    await api.send('POST', '/v1/apply', {});
    const socket = join(unit.agent.stateDir, 'run', 'haproxy.sock');

    const agentMs: number[] = [];
    const rawMs: number[] = [];
    for (let i = 0; i < CHANGES; i++) {
      const t = await timed(() =>
        api.send<{ applied: string }>('POST', '/v1/servers/web/s1?backend=app', {
          change: { weight: 1 + (i % 100) },
        }),
      );
      if (t.value.applied !== 'live') throw new Error('expected a live change');
      agentMs.push(t.ms);
      rawMs.push(
        (await timed(() => unixCommand(socket, `set server web.app/s1 weight ${1 + (i % 100)}`)))
          .ms,
      );
    }
    const p50 = percentile(agentMs, 50);
    console.log(`runtime change (weight), ${CHANGES} changes:`);
    console.log(
      `  through the agent p50 ${ms(p50)}, p95 ${ms(percentile(agentMs, 95))}; bare Runtime API p50 ${ms(percentile(rawMs, 50))}; ratio ${ratio(p50, percentile(rawMs, 50))}`,
    );

    const servers = Array.from({ length: 1000 }, (_, i) => ({
      name: `n${i}`,
      address: '127.0.0.1',
      port: 30000 + i,
      check: false,
    }));
    const batch = await timed(() =>
      api.send<{ applied: string; commands: string[] }>('POST', '/v1/backends/web/scale/servers', {
        servers,
      }),
    );
    if (batch.value.applied !== 'live') throw new Error('expected a live scale-up');
    const raw = await timed(async () => {
      for (let i = 0; i < 1000; i++) {
        await unixCommand(socket, `add server web.raw/n${i} 127.0.0.1:${30000 + i} weight 1`);
        await unixCommand(socket, `set server web.raw/n${i} state ready`);
      }
    });
    const state = await unixCommand(socket, 'show servers state web.scale');
    const added = state.split('\n').filter((l) => / n\d+ /.test(l)).length;
    console.log(
      `  scale-up: 1,000 servers in one API call ${ms(batch.ms)} (${(batch.ms / 1000).toFixed(2)} ms/server, ${added} live), ` +
        `bare add+ready commands ${ms(raw.ms)}; ratio ${ratio(batch.ms, raw.ms)}`,
    );
  } finally {
    await unit.stop();
  }
}

await main();
