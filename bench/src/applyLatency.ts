/**
 * Apply latency: request → new generation serving (the API call returns after the new worker is
 * verified), p50/p95 for 10, 100 and 1,000 services. Reference in the same run: a bare
 * `haproxy -c` of the same rendered file, i.e. the floor any safe apply pays.
 * Usage: npm run bench -- apply   (BENCH_ROUNDS, default 20)
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { GenerationSummary } from '@tandem/core';
import { ms, percentile, ratio, timed } from './lib/stats.js';
import { desired, startUnit } from './lib/unit.js';

const run = promisify(execFile);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);

function config(n: number, weight: number) {
  return {
    schemaVersion: 1,
    global: { admin: { port: 19202 }, maxconn: 4096 },
    services: Array.from({ length: n }, (_, i) => ({
      name: `svc${i}`,
      mode: 'http',
      binds: [{ address: '127.0.0.1', port: 20000 + i }],
      defaultBackend: 'app',
      backends: [
        {
          name: 'app',
          healthCheck: { type: 'http', path: '/health', intervalMs: 60_000 },
          servers: [
            { name: 's1', address: '127.0.0.1', port: 9, weight: i === 0 ? weight : 1 },
            { name: 's2', address: '127.0.0.1', port: 10 },
          ],
        },
      ],
    })),
  };
}

async function main(): Promise<void> {
  console.log(
    `apply latency: ${ROUNDS} applies per size; each changes one server's weight (a config change, by reload)`,
  );
  for (const n of [10, 100, 1000]) {
    const unit = await startUnit(19202);
    try {
      const { api } = unit.agent;
      let base = await desired(unit.agent);
      const first = await api.send<{ generation: GenerationSummary }>('PUT', '/v1/config', {
        base,
        config: config(n, 1),
      });
      base = first.generation.number;
      await api.send('POST', '/v1/apply', {});
      const applyMs: number[] = [];
      const checkMs: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const t = await timed(async () => {
          const c = await api.send<{ generation: GenerationSummary }>('PUT', '/v1/config', {
            base,
            config: config(n, 2 + (r % 50)),
          });
          base = c.generation.number;
          return api.send<{ outcome: string }>('POST', '/v1/apply', {});
        });
        if (t.value.outcome !== 'reload') throw new Error('expected a reload');
        applyMs.push(t.ms);
        checkMs.push(
          (
            await timed(() =>
              run('haproxy', ['-c', '-f', join(unit.agent.stateDir, 'haproxy.cfg')]),
            )
          ).ms,
        );
      }
      const p50 = percentile(applyMs, 50);
      console.log(
        `  ${String(n).padStart(5)} services: apply p50 ${ms(p50)}, p95 ${ms(percentile(applyMs, 95))}; ` +
          `bare haproxy -c p50 ${ms(percentile(checkMs, 50))}; apply ÷ check ${ratio(p50, percentile(checkMs, 50))}`,
      );
    } finally {
      await unit.stop();
    }
  }
}

await main();
