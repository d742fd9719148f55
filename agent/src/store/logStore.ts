import type Database from 'better-sqlite3';
import type { LogParseResult } from '@tandem/core';

/**
 * Log lines in the telemetry DB (schema in telemetrySchema.ts): one row per line, parsed fields as
 * columns (indexed for the filters the log viewer offers), an FTS5 index on URL, host and user
 * agent, and the raw text only for lines that did not parse (kept, never dropped, flagged).
 */
export interface LogRow {
  id: number;
  at: number;
  kind: string | null;
  frontend: string | null;
  backend: string | null;
  server: string | null;
  clientIp: string | null;
  clientPort: number | null;
  status: number | null;
  method: string | null;
  url: string | null;
  host: string | null;
  userAgent: string | null;
  uri: string | null;
  bytes: number | null;
  timers: {
    request: number | null;
    queue: number | null;
    connect: number | null;
    response: number | null;
    total: number | null;
  };
  termination: string | null;
  retries: number | null;
  tls: boolean;
  parseError: string | null;
  raw: string | null;
}

export interface LogFilter {
  from?: number;
  to?: number;
  /** An exact status (404) or a class (5 for 5xx). */
  status?: number;
  statusClass?: number;
  frontend?: string;
  backend?: string;
  server?: string;
  /** Client address prefix match, e.g. `198.18.` (networks are turned into prefixes by the caller). */
  clientPrefix?: string;
  method?: string;
  /** Words to find in URL, host or user agent. */
  text?: string;
  parseErrors?: boolean;
  /** Return rows with id < before (newest first) or id > after (oldest first, for follow). */
  before?: number;
  after?: number;
  limit: number;
}

interface Raw {
  id: number;
  at: number;
  kind: string | null;
  frontend: string | null;
  backend: string | null;
  server: string | null;
  client_ip: string | null;
  client_port: number | null;
  status: number | null;
  method: string | null;
  url: string | null;
  host: string | null;
  user_agent: string | null;
  uri: string | null;
  bytes: number | null;
  t_request: number | null;
  t_queue: number | null;
  t_connect: number | null;
  t_response: number | null;
  t_total: number | null;
  termination: string | null;
  retries: number | null;
  tls: number | null;
  parse_error: string | null;
  raw: string | null;
}

function toRow(r: Raw): LogRow {
  return {
    id: r.id,
    at: r.at,
    kind: r.kind,
    frontend: r.frontend,
    backend: r.backend,
    server: r.server,
    clientIp: r.client_ip,
    clientPort: r.client_port,
    status: r.status,
    method: r.method,
    url: r.url,
    host: r.host,
    userAgent: r.user_agent,
    uri: r.uri,
    bytes: r.bytes,
    timers: {
      request: r.t_request,
      queue: r.t_queue,
      connect: r.t_connect,
      response: r.t_response,
      total: r.t_total,
    },
    termination: r.termination,
    retries: r.retries,
    tls: r.tls === 1,
    parseError: r.parse_error,
    raw: r.raw,
  };
}

/** The words of a text search: runs of letters, digits and `._-` (at most 16). */
export function searchWords(text: string): string[] {
  return (text.match(/[\p{L}\p{N}._-]+/gu) ?? []).slice(0, 16);
}

/**
 * FTS5 query from user words: every token quoted on its own (no operators reach FTS5), all
 * required. The index keeps no positions (detail=none, ADR 0009), so `shop.example.com` becomes
 * three tokens here and the query confirms the whole word with LIKE.
 */
export function ftsQuery(text: string): string | null {
  const tokens = searchWords(text).flatMap((w) => w.match(/[\p{L}\p{N}]+/gu) ?? []);
  return tokens.length === 0 ? null : tokens.map((t) => `"${t}"`).join(' ');
}

/** LIKE patterns take the text literally: `%`, `_` and the escape character itself escaped. */
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function openLogStore(db: Database.Database) {
  const insert = db.prepare(`
    INSERT INTO logs (at, kind, frontend, backend, server, client_ip, client_port, status, method, url, host, user_agent, uri, bytes,
                      t_request, t_queue, t_connect, t_response, t_total, termination, retries, tls, parse_error, raw)
    VALUES (@at, @kind, @frontend, @backend, @server, @client_ip, @client_port, @status, @method, @url, @host, @user_agent, @uri, @bytes,
            @t_request, @t_queue, @t_connect, @t_response, @t_total, @termination, @retries, @tls, @parse_error, @raw)`);
  const insertBatch = db.transaction((items: { result: LogParseResult; receivedAt: number }[]) => {
    for (const { result, receivedAt } of items) {
      const r = result.ok && 'record' in result ? result.record : null;
      // HAProxy's own notices (servers UP/DOWN, proxies started) are kept as kind "message".
      const m = result.ok && 'message' in result ? result.message : null;
      insert.run({
        at: r && Number.isFinite(r.acceptedAt) ? r.acceptedAt : receivedAt,
        kind: r?.kind ?? (m ? 'message' : null),
        frontend: r?.frontend ?? null,
        backend: r?.backend ?? null,
        server: r?.server ?? null,
        client_ip: r?.clientIp ?? null,
        client_port: r?.clientPort ?? null,
        status: r?.status ?? null,
        method: r?.method ?? null,
        url: r?.url ?? null,
        host: r?.host ?? null,
        user_agent: r?.userAgent ?? null,
        uri: r?.uri ?? null,
        bytes: r?.bytesRead ?? null,
        t_request: r?.timers.request ?? null,
        t_queue: r?.timers.queue ?? null,
        t_connect: r?.timers.connect ?? null,
        t_response: r?.timers.response ?? null,
        t_total: r?.timers.total ?? null,
        termination: r?.termination ?? null,
        retries: r?.connections.retries ?? null,
        tls: r ? (r.tls ? 1 : 0) : null,
        parse_error: result.ok ? null : result.error,
        raw: result.ok ? (m?.text ?? null) : result.raw.slice(0, 65_536),
      });
    }
  });

  return {
    /** One transaction per batch: a few fsyncs a second however many lines arrive. */
    insert(items: { result: LogParseResult; receivedAt: number }[]): void {
      if (items.length > 0) insertBatch(items);
    },
    query(f: LogFilter): LogRow[] {
      const where: string[] = [];
      const args: (string | number)[] = [];
      const add = (sql: string, ...v: (string | number)[]) => {
        where.push(sql);
        args.push(...v);
      };
      if (f.from !== undefined) add('l.at >= ?', f.from);
      if (f.to !== undefined) add('l.at < ?', f.to);
      if (f.status !== undefined) add('l.status = ?', f.status);
      if (f.statusClass !== undefined)
        add('l.status >= ? AND l.status < ?', f.statusClass * 100, f.statusClass * 100 + 100);
      if (f.frontend !== undefined) add('l.frontend = ?', f.frontend);
      if (f.backend !== undefined) add('l.backend = ?', f.backend);
      if (f.server !== undefined) add('l.server = ?', f.server);
      if (f.clientPrefix !== undefined)
        add("l.client_ip LIKE ? ESCAPE '\\'", `${escapeLike(f.clientPrefix)}%`);
      if (f.method !== undefined) add('l.method = ?', f.method);
      if (f.parseErrors) where.push('l.parse_error IS NOT NULL');
      if (f.before !== undefined) add('l.id < ?', f.before);
      if (f.after !== undefined) add('l.id > ?', f.after);
      const fts = f.text ? ftsQuery(f.text) : null;
      if (f.text && !fts) return [];
      const from = fts ? 'logs_fts JOIN logs l ON l.id = logs_fts.rowid' : 'logs l';
      if (fts) {
        where.push('logs_fts MATCH ?');
        args.push(fts);
        for (const w of searchWords(f.text ?? '')) {
          const like = `%${escapeLike(w)}%`;
          add(
            "(l.url LIKE ? ESCAPE '\\' OR l.host LIKE ? ESCAPE '\\' OR l.user_agent LIKE ? ESCAPE '\\')",
            like,
            like,
            like,
          );
        }
      }
      const order = f.after !== undefined ? 'ASC' : 'DESC';
      const sql = `SELECT l.* FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY l.id ${order} LIMIT ?`;
      return (db.prepare(sql).all(...args, f.limit) as Raw[]).map(toRow);
    },
    /** Retention: drop lines older than `maxAgeMs`, then the oldest tenth while over `maxBytes`. */
    prune(now: number, maxAgeMs: number, maxBytes: number): number {
      let removed = db.prepare('DELETE FROM logs WHERE at < ?').run(now - maxAgeMs).changes;
      const size = () =>
        (db.pragma('page_count', { simple: true }) as number) *
        (db.pragma('page_size', { simple: true }) as number);
      for (let i = 0; i < 10 && size() > maxBytes; i++) {
        const count = (db.prepare('SELECT COUNT(*) AS n FROM logs').get() as { n: number }).n;
        if (count === 0) break;
        removed += db
          .prepare('DELETE FROM logs WHERE id IN (SELECT id FROM logs ORDER BY id LIMIT ?)')
          .run(Math.max(1, Math.floor(count / 10))).changes;
        db.pragma('incremental_vacuum');
      }
      return removed;
    },
    count: (): number => (db.prepare('SELECT COUNT(*) AS n FROM logs').get() as { n: number }).n,
    /** The newest line's id (0 when empty): where a live tail starts. */
    latestId: (): number =>
      (db.prepare('SELECT COALESCE(MAX(id), 0) AS n FROM logs').get() as { n: number }).n,
  };
}
export type LogStore = ReturnType<typeof openLogStore>;
