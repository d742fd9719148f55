import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { LAB_DIST, ns, VIP_URL, type LabOptions } from './labSpec.js';
import { inNs } from './netns.js';

/** One request of the lab client: when it was sent, whether it got a 200, how long it took. */
export interface ClientResult {
  t: number;
  ok: boolean;
  ms: number;
  by: string | null;
  /** The unit address the backend saw: which unit carried the request. */
  via?: string;
  error?: string;
}

/**
 * Runs the lab client in the client namespace: a request every `intervalMs` for `seconds`,
 * each on a new connection; resolves with every result once the client has stopped by itself.
 */
export function runClient(o: LabOptions, intervalMs: number, seconds: number, timeoutMs = 3_000) {
  const [cmd, ...args] = inNs(ns(o, 'client'), [
    'node',
    join(LAB_DIST, 'clientLoad.js'),
    VIP_URL,
    String(intervalMs),
    String(seconds),
    String(timeoutMs),
  ]);
  const child = spawn(cmd ?? 'ip', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (c: string) => (text += c));
  return new Promise<ClientResult[]>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', () =>
      resolve(
        text
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((l) => JSON.parse(l) as ClientResult),
      ),
    );
  });
}

/**
 * From a fault at `at`: when service was back, i.e. the first successful response carried by
 * `newMaster` (its address as the backend saw it) to a request sent after the fault, minus the
 * fault time; and how many requests failed.
 */
export function serviceGap(results: readonly ClientResult[], at: number, newMaster?: string) {
  const after = results.filter(
    (r) => r.t >= at && r.ok && (newMaster === undefined || r.via === newMaster),
  );
  const firstOk = after.reduce((m, r) => Math.min(m, r.t + r.ms), Infinity);
  return {
    recoveredMs: Number.isFinite(firstOk) ? firstOk - at : null,
    failed: results.filter((r) => !r.ok).length,
    total: results.length,
  };
}

/** One window of the soak's clients: requests, failures by reason, latency histogram (ms → n). */
export interface SoakWindow {
  at: number;
  requests: number;
  failures: Record<string, number>;
  /** Requests sent once more after a reset or refused connection, by the first error. */
  retried: Record<string, number>;
  ms: Record<string, number>;
}

/**
 * Runs the soak's clients in the client namespace (`clients` concurrent, a new connection per
 * request, `thinkMs` between a client's requests) for `seconds`; `onWindow` hears each window as
 * it ends, and the promise resolves with all of them once the clients stopped by themselves.
 */
export function runSoakClients(
  o: LabOptions,
  clients: number,
  seconds: number,
  thinkMs: number,
  onWindow: (w: SoakWindow) => void = () => undefined,
) {
  const [cmd, ...args] = inNs(ns(o, 'client'), [
    'node',
    join(LAB_DIST, 'soakClients.js'),
    VIP_URL,
    String(clients),
    String(seconds),
    String(thinkMs),
  ]);
  const child = spawn(cmd ?? 'ip', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const windows: SoakWindow[] = [];
  let rest = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (c: string) => {
    const lines = (rest + c).split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) {
      if (l.trim() === '') continue;
      const w = JSON.parse(l) as SoakWindow | { end: true };
      if ('end' in w) continue;
      windows.push(w);
      onWindow(w);
    }
  });
  return new Promise<SoakWindow[]>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', () => resolve(windows));
  });
}
