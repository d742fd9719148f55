import type { StatusResponse } from '@tandem/core';

/**
 * The Dashboard's line about previous HAProxy workers still finishing connections after reloads
 * (ADR 0014): how many, with how many connections, and when the last is stopped at the latest.
 * Nothing when none holds a connection (those are on their way out).
 */
export function oldWorkersText(
  old: StatusResponse['haproxy']['oldWorkers'],
  time: (ms: number) => string = (ms) => new Date(ms).toLocaleTimeString(),
): string | undefined {
  const busy = old.filter((w) => w.connections > 0);
  if (busy.length === 0) return undefined;
  const conns = busy.reduce((n, w) => n + w.connections, 0);
  const stops = busy.map((w) => w.stopsAt).filter((t): t is number => t !== null);
  const until = stops.length > 0 ? `, until ${time(Math.max(...stops))} at most` : '';
  return `${busy.length} previous worker(s) finishing ${conns} connection(s)${until}`;
}
