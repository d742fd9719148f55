/**
 * The lab's client: a steady stream of HTTP requests to a URL, one new connection each, printing
 * one JSON line per request ({t, ok, ms, by}) and stopping by itself after `count` requests or
 * `seconds` (bounded load). Runs inside the client namespace.
 * Usage: node clientLoad.js URL INTERVAL_MS SECONDS [TIMEOUT_MS]
 */
import { request } from 'node:http';

const [url = 'http://198.18.0.100/', intervalArg = '20', secondsArg = '10', timeoutArg = '3000'] =
  process.argv.slice(2);
const interval = Math.max(1, Number(intervalArg));
const until = Date.now() + Math.min(600, Number(secondsArg)) * 1000;
const timeoutMs = Number(timeoutArg);
let inFlight = 0;

function once(): void {
  const t = Date.now();
  inFlight++;
  let settled = false;
  const done = (ok: boolean, by: string | null, error?: string, via?: string) => {
    if (settled) return;
    settled = true;
    inFlight--;
    process.stdout.write(
      `${JSON.stringify({ t, ok, ms: Date.now() - t, by, ...(via ? { via } : {}), ...(error ? { error } : {}) })}\n`,
    );
  };
  const req = request(
    url,
    { agent: false, timeout: timeoutMs, headers: { connection: 'close' } },
    (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () =>
        done(
          res.statusCode === 200,
          res.headers['x-served-by']?.toString() ?? (body.trim() || null),
          undefined,
          res.headers['x-via']?.toString().replace(/^::ffff:/, ''),
        ),
      );
      res.on('error', (e) => done(false, null, e.message));
    },
  );
  req.on('timeout', () => {
    req.destroy(new Error('timeout'));
  });
  req.on('error', (e) => done(false, null, e.message));
  req.end();
}

const timer = setInterval(() => {
  if (Date.now() >= until) {
    clearInterval(timer);
    const wait = setInterval(() => {
      if (inFlight === 0) {
        clearInterval(wait);
        process.exit(0);
      }
    }, 20);
    return;
  }
  once();
}, interval);
process.on('SIGTERM', () => process.exit(0));
