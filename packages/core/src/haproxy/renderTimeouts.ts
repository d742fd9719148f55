import { formatDuration } from './format.js';
import type { DirectiveList } from './ir.js';

/** Model field → HAProxy's `timeout` keyword, in the order they are rendered. */
type TimeoutTable = readonly (readonly [field: string, keyword: string])[];

export const FRONTEND_TIMEOUTS: TimeoutTable = [
  ['client', 'client'],
  ['httpRequest', 'http-request'],
  ['httpKeepAlive', 'http-keep-alive'],
];

export const BACKEND_TIMEOUTS: TimeoutTable = [
  ['connect', 'connect'],
  ['server', 'server'],
  ['queue', 'queue'],
  ['tunnel', 'tunnel'],
];

export const DEFAULT_TIMEOUTS: TimeoutTable = [
  ['connect', 'connect'],
  ['client', 'client'],
  ['server', 'server'],
  ['httpRequest', 'http-request'],
  ['httpKeepAlive', 'http-keep-alive'],
  ['queue', 'queue'],
  ['tunnel', 'tunnel'],
  ['check', 'check'],
];

/** One `timeout <keyword> <duration>` line per set field, each traced to its model path. */
export function addTimeouts(
  d: DirectiveList,
  timeouts: Readonly<Record<string, number | undefined>>,
  table: TimeoutTable,
  at: (field: string) => string,
): void {
  for (const [field, keyword] of table) {
    const ms = timeouts[field];
    if (ms !== undefined) d.add(at(field), 'timeout', keyword, formatDuration(ms));
  }
}
