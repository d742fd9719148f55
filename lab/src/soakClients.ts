/**
 * The soak's clients (npm run bench -- soak): CLIENTS concurrent clients, each sending a request,
 * waiting for the whole answer, pausing THINK_MS and sending the next, each on a new connection,
 * until SECONDS have passed (bounded load: it stops by itself). Every WINDOW_S seconds it prints
 * one JSON line with that window's requests, failures (by reason) and latency histogram (ms →
 * count), so whoever runs it can tell the quiet minutes from the busy ones; then {"end": true}.
 * A request whose connection was reset or refused before any answer arrived is sent once more on a
 * new connection, as browsers and HTTP libraries do for idempotent requests (RFC 9110 §9.2.2): a
 * VRRP handover resets the connections in flight on the unit that lets the address go. Each such
 * retry is counted under `retried` by its first error, so the report says how many there were; a
 * retry that fails too is a failure, and the latency is from the first attempt.
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

const emptyWindow = () => ({
  requests: 0,
  failures: {} as Record<string, number>,
  retried: {} as Record<string, number>,
  ms: {} as Record<number, number>,
});
let window = emptyWindow();

/** Connection errors before any answer: what a client may retry an idempotent request after. */
const RETRYABLE = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE']);

/** One request: null when answered 200, or why not, and whether it may be sent again. */
function attempt(): Promise<{ error: string; retryable: boolean } | null> {
  return new Promise((resolve) => {
    let settled = false;
    let answered = false;
    const done = (error: string | null, code?: string) => {
      if (settled) return;
      settled = true;
      resolve(
        error === null
          ? null
          : { error, retryable: !answered && code !== undefined && RETRYABLE.has(code) },
      );
    };
    const req = request(
      url,
      { agent: false, timeout: timeoutMs, headers: { connection: 'close' } },
      (res) => {
        answered = true;
        res.resume();
        res.on('end', () => done(res.statusCode === 200 ? null : `HTTP ${res.statusCode}`));
        res.on('error', (e) => done(e.message));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => done(e.message, e.code));
    req.end();
  });
}

async function once(): Promise<void> {
  const t = Date.now();
  let result = await attempt();
  if (result?.retryable) {
    window.retried[result.error] = (window.retried[result.error] ?? 0) + 1;
    result = await attempt();
  }
  window.requests++;
  if (result) window.failures[result.error] = (window.failures[result.error] ?? 0) + 1;
  else {
    const ms = Date.now() - t;
    window.ms[ms] = (window.ms[ms] ?? 0) + 1;
  }
}

async function client(): Promise<void> {
  while (Date.now() < until) {
    await once();
    await new Promise((r) => setTimeout(r, think));
  }
}

const flush = () => {
  process.stdout.write(`${JSON.stringify({ at: Date.now(), ...window })}\n`);
  window = emptyWindow();
};
const timer = setInterval(flush, windowS * 1000);
await Promise.all(Array.from({ length: clients }, () => client()));
clearInterval(timer);
flush();
process.stdout.write(`${JSON.stringify({ end: true })}\n`);
