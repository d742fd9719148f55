import { isHaproxyMessage, type LogRow } from '@tandem/core';
import type { ApiClient } from './apiClient.js';
import { flag, type ParsedArgs } from './parseArgs.js';

/** `tandemctl logs`: filters as flags; `--follow` keeps reading forward from the last line. */
type LogLine = LogRow;

function formatLogLine(r: LogLine): string {
  const when = new Date(r.at).toISOString().replace('T', ' ').replace('Z', '');
  if (r.parseError) return `${when}  [not parsed: ${r.parseError}] ${r.raw ?? ''}`;
  // HAProxy's own messages (a server DOWN, a proxy stopping at a reload) in words, not as a
  // request with empty fields.
  if (isHaproxyMessage(r)) return `${when}  [haproxy] ${r.raw ?? ''}`;
  const target = r.url ?? r.uri ?? '-';
  return `${when}  ${r.status ?? '---'} ${(r.method ?? '').padEnd(6)} ${target}  ${r.frontend ?? '?'} -> ${r.backend ?? '?'}/${r.server ?? '-'}  ${r.timers.total ?? '?'} ms  ${r.termination ?? ''}`;
}

export async function runLogs(
  api: ApiClient,
  a: ParsedArgs,
  out: (line: string) => void,
  json: boolean,
): Promise<number> {
  const params = new URLSearchParams();
  for (const k of ['status', 'frontend', 'backend', 'server', 'client', 'method', 'q']) {
    const v = flag(a, k);
    if (v !== undefined) params.set(k, v);
  }
  if (a.flags.has('errors')) params.set('errors', '1');
  params.set('limit', flag(a, 'limit') ?? '20');
  const show = (rows: LogLine[]) => {
    for (const r of rows) out(json ? JSON.stringify(r) : formatLogLine(r));
  };
  const first = await api.get<{ items: LogLine[] }>(`/v1/logs?${params.toString()}`);
  const items = [...first.items].reverse();
  show(items);
  if (!a.flags.has('follow')) return 0;
  // The agent streams new lines (server-sent events) from the last one shown.
  params.delete('limit');
  params.set('after', String(items.at(-1)?.id ?? (await latestId(api))));
  await api.stream(`/v1/logs/stream?${params.toString()}`, (e) => {
    if (e.event === 'log') show([e.data as LogLine]);
  });
  return 0;
}

async function latestId(api: ApiClient): Promise<number> {
  const newest = await api.get<{ items: LogLine[] }>('/v1/logs?limit=1');
  return newest.items[0]?.id ?? 0;
}
