import type { LogRow } from '../api/logRow.js';
import { composeUrl, isCompactLog, parseCompactLog } from './compactLog.js';
import { parseHaproxyLog, type LogParseResult } from './parseHaproxyLog.js';

/**
 * What the log store keeps of a received line (ADR 0017). A line in Tandem's format is kept as
 * its body: the syslog header before it says nothing the body does not (the accept time is in
 * the body). Anything else (HAProxy's own notices, a line that does not parse, a line in
 * httplog format from a worker started before an upgrade) is kept whole behind `~` and the time
 * it arrived, since that time is the only one it may have.
 */
export function toStoredLine(raw: string, receivedAt: number): string {
  // The header is `<PRI>Mmm dd hh:mm:ss [host ]tag[pid]: `; the body follows the first `]: `.
  const end = raw.indexOf(']: ');
  if (end > 0 && end < 200 && isCompactLog(raw.slice(end + 3, end + 6)))
    return raw.endsWith('\n') ? raw.slice(end + 3, -1) : raw.slice(end + 3);
  const line = raw.endsWith('\n') ? raw.slice(0, -1) : raw;
  return `~${receivedAt}\t${line.length > 65_536 ? line.slice(0, 65_536) : line}`;
}

/** A stored line parsed again, with the time to use when the line has none of its own. */
export function parseStoredLine(line: string): {
  result: LogParseResult;
  receivedAt: number | null;
} {
  if (isCompactLog(line)) {
    const c = parseCompactLog(line);
    return { result: c.ok ? c : { ok: false, raw: line, error: c.error }, receivedAt: null };
  }
  const tab = line.indexOf('\t');
  if (line.startsWith('~') && tab > 0) {
    const receivedAt = Number(line.slice(1, tab));
    return { result: parseHaproxyLog(line.slice(tab + 1)), receivedAt };
  }
  return { result: { ok: false, raw: line, error: 'not a stored log line' }, receivedAt: null };
}

/**
 * The time of a stored line without reading all of it: the accept time of a line in Tandem's
 * format (its fourth field), else what the whole parse finds (a rare line). What the writer
 * needs to date a block while the rest of the line waits for the indexer.
 */
export function storedLineAt(line: string, fallbackAt: number): number {
  if (isCompactLog(line)) {
    const a = line.indexOf('\t', 3);
    const b = a < 0 ? -1 : line.indexOf('\t', a + 1);
    const c = b < 0 ? -1 : line.indexOf('\t', b + 1);
    const at = c < 0 ? NaN : Number(line.slice(b + 1, c));
    return Number.isFinite(at) ? at : fallbackAt;
  }
  const { result, receivedAt } = parseStoredLine(line);
  const arrived = receivedAt ?? fallbackAt;
  return result.ok && 'record' in result && Number.isFinite(result.record.acceptedAt)
    ? result.record.acceptedAt
    : arrived;
}

const EMPTY_TIMERS = { request: null, queue: null, connect: null, response: null, total: null };

/** The API's row for a stored line; `fallbackAt` dates a line that carries no time. */
export function readStoredLine(line: string, id: number, fallbackAt: number): LogRow {
  const { result, receivedAt } = parseStoredLine(line);
  const arrived = receivedAt !== null && Number.isFinite(receivedAt) ? receivedAt : fallbackAt;
  const none = {
    id,
    at: arrived,
    kind: null,
    frontend: null,
    backend: null,
    server: null,
    clientIp: null,
    clientPort: null,
    status: null,
    method: null,
    url: null,
    host: null,
    userAgent: null,
    uri: null,
    bytes: null,
    timers: EMPTY_TIMERS,
    termination: null,
    retries: null,
    tls: false,
    parseError: null,
    raw: null,
  };
  if (!result.ok) return { ...none, parseError: result.error, raw: result.raw };
  if ('message' in result) return { ...none, kind: 'message', raw: result.message.text };
  const r = result.record;
  return {
    id,
    at: Number.isFinite(r.acceptedAt) ? r.acceptedAt : arrived,
    kind: r.kind,
    frontend: r.frontend,
    backend: r.backend,
    server: r.server,
    clientIp: r.clientIp,
    clientPort: r.clientPort,
    status: r.status,
    method: r.method,
    url: r.url ?? composeUrl(r.tls, r.host, r.uri),
    host: r.host,
    userAgent: r.userAgent,
    uri: r.uri,
    bytes: r.bytesRead,
    timers: {
      request: r.timers.request ?? null,
      queue: r.timers.queue,
      connect: r.timers.connect,
      response: r.timers.response ?? null,
      total: r.timers.total,
    },
    termination: r.termination,
    retries: r.connections.retries,
    tls: r.tls,
    parseError: null,
    raw: null,
  };
}
