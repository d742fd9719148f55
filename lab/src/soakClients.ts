/**
 * The soak's clients (npm run bench -- soak): CLIENTS concurrent clients, each sending a request,
 * waiting for the whole answer, pausing THINK_MS and sending the next, each on a new connection,
 * until SECONDS have passed (bounded load: it stops by itself). Every WINDOW_S seconds it prints
 * one JSON line with that window's requests, failures (by reason) and latency histogram (ms →
 * count), so whoever runs it can tell the quiet minutes from the busy ones; then {"end": true}.
 * Runs inside the client namespace.
 * Usage: node soakClients.js URL CLIENTS SECONDS [THINK_MS] [TIMEOUT_MS] [WINDOW_S]
 */
import { request } from 'node:http';

const [url = 'http://198.18.0.100/', clientsArg = '200', secondsArg = '600'] =
  process.argv.slice(2);
const think = Number(process.argv[5] ?? 100);
const timeoutMs = Number(process.argv[6] ?? 5_000);
const windowS = Number(process.argv[7] ?? 10);
const clients = Math.min(1000, Number(clientsArg));
const until = Date.now() + Math.min(3600, Number(secondsArg)) * 1000;

let window = {
  requests: 0,
  failures: {} as Record<string, number>,
  ms: {} as Record<number, number>,
};

function once(): Promise<void> {
  const t = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (error: string | null) => {
      if (settled) return;
      settled = true;
      window.requests++;
      if (error) window.failures[error] = (window.failures[error] ?? 0) + 1;
      else {
        const ms = Date.now() - t;
        window.ms[ms] = (window.ms[ms] ?? 0) + 1;
      }
      resolve();
    };
    const req = request(
      url,
      { agent: false, timeout: timeoutMs, headers: { connection: 'close' } },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode === 200 ? null : `HTTP ${res.statusCode}`));
        res.on('error', (e) => done(e.message));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => done(e.message));
    req.end();
  });
}

async function client(): Promise<void> {
  while (Date.now() < until) {
    await once();
    await new Promise((r) => setTimeout(r, think));
  }
}

const flush = () => {
  process.stdout.write(`${JSON.stringify({ at: Date.now(), ...window })}\n`);
  window = { requests: 0, failures: {}, ms: {} };
};
const timer = setInterval(flush, windowS * 1000);
await Promise.all(Array.from({ length: clients }, () => client()));
clearInterval(timer);
flush();
process.stdout.write(`${JSON.stringify({ end: true })}\n`);
