import type Database from 'better-sqlite3';
import { composeUrl, type LogParseResult, type LogRow } from '@tandem/core';

/**
 * Log lines in the telemetry DB (schema in telemetrySchema.ts): one row per line, parsed fields as
 * columns (indexed for the filters the log viewer offers), an FTS5 index on URL, host and user
 * agent, and the raw text only for lines that did not parse (kept, never dropped, flagged).
 */
export type { LogRow };

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
    url: r.url ?? composeUrl(r.tls === 1, r.host, r.uri),
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
  // Positional parameters, in this column order: measurably cheaper than named ones per row.
  const insert = db.prepare(
    `INSERT INTO logs (at, kind, frontend, backend, server, client_ip, client_port, status, method, uri, host, ua, url, bytes,
                       t_request, t_queue, t_connect, t_response, t_total, termination, retries, tls, parse_error, raw)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // User agents are few and repeat: a bounded cache of their dictionary ids.
  const uaIds = new Map<string, number>();
  const findUa = db.prepare('SELECT id FROM user_agents WHERE text = ?');
  const addUa = db.prepare('INSERT INTO user_agents (text) VALUES (?)');
  const uaId = (text: string | null): number | null => {
    if (text === null) return null;
    let id = uaIds.get(text);
    if (id === undefined) {
      const row = findUa.get(text) as { id: number } | undefined;
      id = row ? row.id : Number(addUa.run(text).lastInsertRowid);
      if (uaIds.size >= 10_000) uaIds.clear();
      uaIds.set(text, id);
    }
    return id;
  };
  // The text index follows the table statement by statement, in the same transaction, so a
  // crash leaves both or neither (migration 5 explains why not per row).
  const lastId = db.prepare('SELECT COALESCE(MAX(id), 0) AS n FROM logs').pluck();
  const indexFrom = db.prepare(
    'INSERT INTO logs_fts (rowid, uri, host) SELECT id, uri, host FROM logs WHERE id > ?',
  );
  const insertBatch = db.transaction((items: { result: LogParseResult; receivedAt: number }[]) => {
    const before = lastId.get() as number;
    for (const { result, receivedAt } of items) {
      const r = result.ok && 'record' in result ? result.record : null;
      // HAProxy's own notices (servers UP/DOWN, proxies started) are kept as kind "message".
      const m = result.ok && 'message' in result ? result.message : null;
      const url = r?.url ?? null;
      insert.run(
        r && Number.isFinite(r.acceptedAt) ? r.acceptedAt : receivedAt,
        r?.kind ?? (m ? 'message' : null),
        r?.frontend ?? null,
        r?.backend ?? null,
        r?.server ?? null,
        r?.clientIp ?? null,
        r?.clientPort ?? null,
        r?.status ?? null,
        r?.method ?? null,
        r?.uri ?? null,
        r?.host ?? null,
        uaId(r?.userAgent ?? null),
        // Stored only when it cannot be composed again from scheme, host and path.
        r && url !== composeUrl(r.tls, r.host, r.uri) ? url : null,
        r?.bytesRead ?? null,
        r?.timers.request ?? null,
        r?.timers.queue ?? null,
        r?.timers.connect ?? null,
        r?.timers.response ?? null,
        r?.timers.total ?? null,
        r?.termination ?? null,
        r?.connections.retries ?? null,
        r ? (r.tls ? 1 : 0) : null,
        result.ok ? null : result.error,
        result.ok ? (m?.text ?? null) : result.raw.slice(0, 65_536),
      );
    }
    indexFrom.run(before);
  });
  /** Removes matching lines and their text index entries together. */
  const removeWhere = db.transaction((where: 'at < ?' | 'id < ?', arg: number): number => {
    db.prepare(
      `INSERT INTO logs_fts (logs_fts, rowid, uri, host) SELECT 'delete', id, uri, host FROM logs WHERE ${where}`,
    ).run(arg);
    return db.prepare(`DELETE FROM logs WHERE ${where}`).run(arg).changes;
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
        // "+" keeps the planner off the status index: a class spans many values, so the index
        // would need a sort, while walking ids newest first stops at the limit (bench: logquery).
        add('+l.status >= ? AND +l.status < ?', f.statusClass * 100, f.statusClass * 100 + 100);
      if (f.frontend !== undefined) add('l.frontend = ?', f.frontend);
      if (f.backend !== undefined) add('l.backend = ?', f.backend);
      if (f.server !== undefined) add('l.server = ?', f.server);
      if (f.clientPrefix !== undefined)
        add("l.client_ip LIKE ? ESCAPE '\\'", `${escapeLike(f.clientPrefix)}%`);
      if (f.method !== undefined) add('l.method = ?', f.method);
      if (f.parseErrors) where.push('l.parse_error IS NOT NULL');
      if (f.before !== undefined) add('l.id < ?', f.before);
      if (f.after !== undefined) add('l.id > ?', f.after);
      const order = f.after !== undefined ? 'ASC' : 'DESC';
      // `orderBy` is the text index's rowid when it drives: FTS5 then walks its matches newest
      // first and stops at the limit, instead of handing every match to a sort.
      const run = (
        from: string,
        extra: string[],
        extraArgs: (string | number)[],
        orderBy = 'l.id',
      ) => {
        const all = [...where, ...extra];
        const sql = `SELECT l.*, ua.text AS user_agent FROM ${from} LEFT JOIN user_agents ua ON ua.id = l.ua ${all.length ? `WHERE ${all.join(' AND ')}` : ''} ORDER BY ${orderBy} ${order} LIMIT ?`;
        return db.prepare(sql).all(...args, ...extraArgs, f.limit) as Raw[];
      };
      if (!f.text) return run('logs l', [], []).map(toRow);
      // Text search: every word in the URL (path and host index), or every word in the user
      // agent (the dictionary's index); each word confirmed whole with LIKE, since the indexes
      // keep no positions. The two result lists merge by id.
      const fts = ftsQuery(f.text);
      if (!fts) return [];
      const words = searchWords(f.text).map((w) => `%${escapeLike(w)}%`);
      const urlLike = words.map(
        () =>
          "COALESCE(l.url, CASE WHEN l.tls = 1 THEN 'https://' ELSE 'http://' END || COALESCE(l.host, '') || COALESCE(l.uri, '')) LIKE ? ESCAPE '\\'",
      );
      const byUrl = run(
        'logs_fts JOIN logs l ON l.id = logs_fts.rowid',
        ['logs_fts MATCH ?', ...urlLike],
        [fts, ...words],
        'logs_fts.rowid',
      );
      // Every matching user agent, not an arbitrary first 500: the dictionary is small next to
      // the log, and the log walk newest first stops at the limit. Skipped when no agent
      // matches, or the walk would scan the whole log for nothing (bench: logquery).
      const uaMatch = `user_agents_fts MATCH ? AND ${words.map(() => "text LIKE ? ESCAPE '\\'").join(' AND ')}`;
      const anyAgent = db
        .prepare(`SELECT 1 FROM user_agents_fts WHERE ${uaMatch} LIMIT 1`)
        .get(fts, ...words);
      const byAgent = anyAgent
        ? run(
            'logs l',
            [`l.ua IN (SELECT rowid FROM user_agents_fts WHERE ${uaMatch})`],
            [fts, ...words],
          )
        : [];
      const merged = new Map<number, Raw>();
      for (const r of [...byUrl, ...byAgent]) merged.set(r.id, r);
      return [...merged.values()]
        .sort((x, y) => (order === 'ASC' ? x.id - y.id : y.id - x.id))
        .slice(0, f.limit)
        .map(toRow);
    },
    /** Retention: drop lines older than `maxAgeMs`, then the oldest tenth while over `maxBytes`. */
    prune(now: number, maxAgeMs: number, maxBytes: number): number {
      let removed = removeWhere('at < ?', now - maxAgeMs);
      const size = () =>
        (db.pragma('page_count', { simple: true }) as number) *
        (db.pragma('page_size', { simple: true }) as number);
      for (let i = 0; i < 10 && size() > maxBytes; i++) {
        const count = (db.prepare('SELECT COUNT(*) AS n FROM logs').get() as { n: number }).n;
        if (count === 0) break;
        const oldest = db.prepare('SELECT MIN(id) AS n FROM logs').pluck().get() as number;
        removed += removeWhere('id < ?', oldest + Math.max(1, Math.floor(count / 10)));
        db.pragma('incremental_vacuum');
      }
      if (removed > 0) {
        // User agents no line refers to any more (a flood of random ones must not stay forever).
        db.prepare(
          'DELETE FROM user_agents WHERE id NOT IN (SELECT DISTINCT ua FROM logs WHERE ua IS NOT NULL)',
        ).run();
        uaIds.clear();
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
