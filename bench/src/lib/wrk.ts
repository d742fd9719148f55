import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface WrkResult {
  requests: number;
  seconds: number;
  rps: number;
  socketErrors: { connect: number; read: number; write: number; timeout: number };
  non2xx: number;
  /** Every request that did not get a 2xx/3xx answer, by any cause. */
  failed: number;
}

export function parseWrk(out: string): WrkResult {
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? 0);
  const m = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const socketErrors = {
    connect: Number(m?.[1] ?? 0),
    read: Number(m?.[2] ?? 0),
    write: Number(m?.[3] ?? 0),
    timeout: Number(m?.[4] ?? 0),
  };
  const requests = num(/(\d+) requests in/);
  const non2xx = num(/Non-2xx or 3xx responses: (\d+)/);
  return {
    requests,
    seconds: num(/requests in ([\d.]+)s/),
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    socketErrors,
    non2xx,
    failed:
      non2xx + socketErrors.connect + socketErrors.read + socketErrors.write + socketErrors.timeout,
  };
}

/**
 * Realistic request lines for log benchmarks: a distinct path and query per request and a
 * browser's User-Agent, so the text index sees the variety real traffic has.
 */
export const VARIED_REQUESTS_LUA = `
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/shop/item/" .. n .. "?ref=campaign" .. (n % 97), {
    ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    ["Host"] = "shop.example.com",
  })
end
`;

/** A bounded wrk run on a loopback URL. */
export async function wrk(
  url: string,
  o: { seconds: number; connections: number; threads?: number; close?: boolean; lua?: string },
): Promise<WrkResult> {
  const args = [
    '-t',
    String(o.threads ?? 2),
    '-c',
    String(o.connections),
    '-d',
    `${o.seconds}s`,
    '--latency',
  ];
  if (o.close) args.push('-H', 'Connection: close');
  const dir = o.lua ? await mkdtemp(join(tmpdir(), 'tandem-wrk-')) : null;
  try {
    if (dir && o.lua) {
      await writeFile(join(dir, 'script.lua'), o.lua);
      args.push('-s', join(dir, 'script.lua'));
    }
    const { stdout } = await run('wrk', [...args, url], { timeout: (o.seconds + 30) * 1000 });
    return parseWrk(stdout);
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
