import type { ApiClient } from './apiClient.js';
import { flag, type ParsedArgs } from './parseArgs.js';

/** `tandemctl logs`: filters as flags; `--follow` keeps reading forward from the last line. */
interface LogLine {
  id: number;
  at: number;
  status: number | null;
  method: string | null;
  url: string | null;
  uri: string | null;
  frontend: string | null;
  backend: string | null;
  server: string | null;
  timers: { total: number | null };
  termination: string | null;
  parseError: string | null;
  raw: string | null;
}

function formatLogLine(r: LogLine): string {
  const when = new Date(r.at).toISOString().replace('T', ' ').replace('Z', '');
  if (r.parseError) return `${when}  [not parsed: ${r.parseError}] ${r.raw ?? ''}`;
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
  let last = items.at(-1)?.id ?? 0;
  params.set('limit', '500');
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    params.set('after', String(last));
    const next = await api.get<{ items: LogLine[] }>(`/v1/logs?${params.toString()}`);
    show(next.items);
    last = next.items.at(-1)?.id ?? last;
  }
}
