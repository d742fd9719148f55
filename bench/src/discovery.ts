/**
 * Discovery latency (issue 19): time from a DNS record change (dnsmasq's hosts file rewritten)
 * to traffic reaching a server that joined, and to traffic no longer reaching one that left,
 * p50/p95 over 20 changes of each; the reference is the configured `hold valid` (how long
 * HAProxy trusts an answer), set here to 1 s, in the same run.
 * Usage: npm run bench -- discovery
 */
import { createServer, request, type Server } from 'node:http';
import { startDnsServer } from '@tandem/agent/testing/dnsServer';
import { freeTcpPort } from '@tandem/agent/testing/agentProcess';
import { ms, percentile, ratio } from './lib/stats.js';
import { desired, startUnit } from './lib/unit.js';

const CHANGES = Number(process.env.BENCH_ROUNDS ?? 20);
const HOLD_VALID_MS = 1_000;
/** A change not seen within this long counts as a failure of the run, not a figure. */
const GIVE_UP_MS = 30_000;

const serverOn = async (host: string, port: number): Promise<Server> => {
  const s = createServer((_req, res) => res.end(host));
  await new Promise<void>((r) => s.listen(port, host, r));
  return s;
};
const once = (port: number): Promise<string> =>
  new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/', agent: false, headers: { connection: 'close' } },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(body));
      },
    );
    req.on('error', () => resolve(''));
    req.end();
  });

/**
 * Requests back to back until `seen` picks one of them (its index, else -1): the milliseconds
 * from now to when that request was sent.
 */
async function until(port: number, seen: (bodies: string[]) => number): Promise<number> {
  const start = performance.now();
  const bodies: string[] = [];
  const sentAt: number[] = [];
  while (performance.now() - start < GIVE_UP_MS) {
    sentAt.push(performance.now() - start);
    bodies.push(await once(port));
    const i = seen(bodies);
    if (i >= 0) return sentAt[i] ?? 0;
  }
  throw new Error(`not seen within ${GIVE_UP_MS} ms`);
}
const last = (b: string[], host: string) => (b.at(-1) === host ? b.length - 1 : -1);

async function main(): Promise<void> {
  const [serverPort, listen] = [await freeTcpPort(), await freeTcpPort()];
  const servers = [
    await serverOn('127.0.0.2', serverPort),
    await serverOn('127.0.0.3', serverPort),
  ];
  const dns = await startDnsServer({ hosts: { 'web.test': ['127.0.0.2'] } });
  const unit = await startUnit(19402);
  try {
    const { api } = unit.agent;
    const { generation } = await api.get<{ generation: number }>('/v1/config');
    await api.send('PUT', '/v1/config', {
      base: generation ?? (await desired(unit.agent)),
      config: {
        schemaVersion: 1,
        global: {
          resolvers: {
            nameservers: [{ address: dns.address, port: dns.port }],
            holdValidMs: HOLD_VALID_MS,
            holdObsoleteMs: 0,
            timeoutRetryMs: 200,
          },
        },
        services: [
          {
            name: 'web',
            mode: 'http',
            binds: [{ address: '127.0.0.1', port: listen }],
            defaultBackend: 'pool',
            backends: [
              {
                name: 'pool',
                serverTemplate: {
                  prefix: 'w',
                  count: 4,
                  port: serverPort,
                  dns: { name: 'web.test' },
                },
              },
            ],
          },
        ],
      },
    });
    await api.send('POST', '/v1/apply', {});
    await until(listen, (b) => last(b, '127.0.0.2'));

    const join: number[] = [];
    const leave: number[] = [];
    // Each change at a random moment of HAProxy's resolution cycle: right after a change was
    // seen, the next one would always land just after a query and wait a whole cycle.
    const pause = () => new Promise((r) => setTimeout(r, Math.random() * HOLD_VALID_MS));
    for (let i = 0; i < CHANGES; i++) {
      await pause();
      await dns.setHosts({ 'web.test': ['127.0.0.2', '127.0.0.3'] });
      join.push(await until(listen, (b) => b.indexOf('127.0.0.3')));
      await pause();
      await dns.setHosts({ 'web.test': ['127.0.0.2'] });
      // Gone: ten requests in a row that it did not take; the moment is the first of them.
      leave.push(
        await until(listen, (b) =>
          b.length >= 10 && b.slice(-10).every((x) => x === '127.0.0.2') ? b.length - 10 : -1,
        ),
      );
    }
    const line = (what: string, v: number[]) =>
      `  ${what}: p50 ${ms(percentile(v, 50))}, p95 ${ms(percentile(v, 95))}; p50 / hold valid ${ratio(percentile(v, 50), HOLD_VALID_MS)}`;
    console.log(
      `discovery, ${CHANGES} changes each way, hold valid ${ms(HOLD_VALID_MS)} (the reference), hold obsolete 0:`,
    );
    console.log(line('a server added to DNS takes traffic after', join));
    console.log(line('a server removed from DNS takes none after', leave));
  } finally {
    await unit.stop();
    await dns.close();
    for (const s of servers) s.close();
  }
}

await main();
