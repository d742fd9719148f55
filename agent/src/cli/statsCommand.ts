import type { EntitySample } from '@tandem/core';
import type { ApiClient } from './apiClient.js';
import { flag, UsageError, type ParsedArgs } from './parseArgs.js';
import { table } from './table.js';

/** `tandemctl stats` (the latest sample as a table, or one entity's series) and `tandemctl events`. */
const num = (n: number, digits = 0) => (n === 0 ? '0' : n.toFixed(digits));
const kb = (bytesPerSecond: number) => num(bytesPerSecond / 1024, 1);

export async function runStats(
  api: ApiClient,
  a: ParsedArgs,
  out: (line: string) => void,
  json: boolean,
): Promise<number> {
  const entity = flag(a, 'series');
  if (entity !== undefined) {
    const minutes = Number(flag(a, 'minutes') ?? '10');
    if (!Number.isFinite(minutes) || minutes <= 0)
      throw new UsageError('--minutes must be a positive number');
    const params = new URLSearchParams({ entity, from: String(-Math.round(minutes * 60_000)) });
    const metrics = flag(a, 'metrics');
    if (metrics) params.set('metrics', metrics);
    const s = await api.get<{
      at: number[];
      stepMs: number;
      values: Record<string, (number | null)[]>;
    }>(`/v1/stats/series?${params.toString()}`);
    if (json) {
      out(JSON.stringify(s, null, 2));
      return 0;
    }
    const names = Object.keys(s.values);
    out(
      table([
        ['time', ...names],
        ...s.at.map((t, i) => [
          new Date(t).toISOString().slice(11, 19),
          ...names.map((n) => {
            const v = s.values[n]?.[i];
            return v === null || v === undefined ? '-' : num(v, 1);
          }),
        ]),
      ]),
    );
    return 0;
  }
  const snap = await api.get<{ at: number | null; pid: number | null; entities: EntitySample[] }>(
    '/v1/stats',
  );
  const type = flag(a, 'type');
  const rows = snap.entities.filter((e) => type === undefined || e.type === type);
  if (json) {
    out(JSON.stringify({ ...snap, entities: rows }, null, 2));
    return 0;
  }
  if (snap.at === null) {
    out('no sample yet');
    return 0;
  }
  out(`sampled ${new Date(snap.at).toISOString()} from worker ${snap.pid ?? '?'}`);
  out(
    table([
      [
        'entity',
        'state',
        'req/s',
        'conn/s',
        'sess',
        'queue',
        '2xx/s',
        '4xx/s',
        '5xx/s',
        'err/s',
        'in kB/s',
        'out kB/s',
        'rtime',
        'check',
      ],
      ...rows.map((e) => {
        const m = e.metrics;
        return [
          e.key,
          e.state,
          num(m.req_rate, 1),
          num(m.conn_rate, 1),
          String(m.sessions),
          String(m.queue),
          num(m.hrsp_2xx, 1),
          num(m.hrsp_4xx, 1),
          num(m.hrsp_5xx, 1),
          num(m.err_req + m.err_conn + m.err_resp, 1),
          kb(m.bytes_in),
          kb(m.bytes_out),
          e.type === 'frontend' ? '' : `${m.rtime} ms`,
          e.check ? `${e.check.status}${e.check.detail ? ` ${e.check.detail}` : ''}` : '',
        ];
      }),
    ]),
  );
  return 0;
}

interface EventLine {
  id: number;
  at: number;
  kind: string;
  severity: string;
  subject: string;
  message: string;
}

const formatEvent = (e: EventLine) =>
  `${new Date(e.at).toISOString().replace('T', ' ').replace('Z', '')}  ${e.severity.padEnd(7)} ${e.kind.padEnd(8)} ${e.message}`;

export async function runEvents(
  api: ApiClient,
  a: ParsedArgs,
  out: (line: string) => void,
  json: boolean,
): Promise<number> {
  const params = new URLSearchParams({ limit: flag(a, 'limit') ?? '20' });
  const kind = flag(a, 'kind');
  if (kind) params.set('kind', kind);
  const show = (e: EventLine) => out(json ? JSON.stringify(e) : formatEvent(e));
  const page = await api.get<{ items: EventLine[] }>(`/v1/events?${params.toString()}`);
  const items = [...page.items].reverse();
  items.forEach(show);
  if (!a.flags.has('follow')) return 0;
  params.delete('limit');
  const newest = items.at(-1)?.id;
  if (newest !== undefined) params.set('after', String(newest));
  await api.stream(`/v1/events/stream?${params.toString()}`, (e) => {
    if (e.event === 'event') show(e.data as EventLine);
  });
  return 0;
}
