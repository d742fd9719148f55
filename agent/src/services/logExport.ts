import type { LogRow } from '@tandem/core';

/**
 * A log line as exported (CSV and NDJSON): every field of the row, flat, the time in ISO 8601
 * UTC with milliseconds (what a spreadsheet or `jq` reads) as well as epoch milliseconds.
 */
export const LOG_EXPORT_COLUMNS = [
  'id',
  'time',
  'at',
  'kind',
  'frontend',
  'backend',
  'server',
  'clientIp',
  'clientPort',
  'status',
  'method',
  'url',
  'host',
  'uri',
  'userAgent',
  'bytes',
  'requestMs',
  'queueMs',
  'connectMs',
  'responseMs',
  'totalMs',
  'termination',
  'retries',
  'tls',
  'parseError',
  'raw',
] as const;

export type LogExportRecord = Record<
  (typeof LOG_EXPORT_COLUMNS)[number],
  string | number | boolean | null
>;

export function toExportRecord(r: LogRow): LogExportRecord {
  const { timers, ...fields } = r;
  const flat: Record<string, string | number | boolean | null> = {
    ...fields,
    time: new Date(r.at).toISOString(),
    requestMs: timers.request,
    queueMs: timers.queue,
    connectMs: timers.connect,
    responseMs: timers.response,
    totalMs: timers.total,
  };
  // In the columns' order: a CSV header and each NDJSON object list the fields alike.
  return Object.fromEntries(LOG_EXPORT_COLUMNS.map((c) => [c, flat[c] ?? null])) as LogExportRecord;
}

/** Fields whose text comes from whoever sent the request. */
const CLIENT_TEXT = new Set<string>(['url', 'host', 'uri', 'userAgent', 'raw']);

/**
 * One CSV cell (RFC 4180 quoting). A client's text starting with `=`, `+`, `-`, `@` or a tab is
 * prefixed with `'`: a spreadsheet would run it as a formula.
 */
function csvCell(v: string | number | boolean | null, fromClient: boolean): string {
  if (v === null) return '';
  let s = String(v);
  if (fromClient && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function logsAsCsv(rows: readonly LogRow[]): string {
  const lines = rows.map((r) => {
    const e = toExportRecord(r);
    return LOG_EXPORT_COLUMNS.map((c) => csvCell(e[c], CLIENT_TEXT.has(c))).join(',');
  });
  return `${[LOG_EXPORT_COLUMNS.join(','), ...lines].join('\r\n')}\r\n`;
}

export function logsAsNdjson(rows: readonly LogRow[]): string {
  return rows.map((r) => `${JSON.stringify(toExportRecord(r))}\n`).join('');
}
