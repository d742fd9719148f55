import { execFile } from 'node:child_process';
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

/** A bounded wrk run on a loopback URL. */
export async function wrk(
  url: string,
  o: { seconds: number; connections: number; threads?: number; close?: boolean },
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
  const { stdout } = await run('wrk', [...args, url], { timeout: (o.seconds + 30) * 1000 });
  return parseWrk(stdout);
}
