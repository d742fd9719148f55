import type Database from 'better-sqlite3';
import { buildLogBlock, HTTP_LOG_TAG, isCompactLog, TCP_LOG_TAG } from '@tandem/core';

/** A row of the per-line log table (migrations 2 to 5). */
interface OldRow {
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
  uri: string | null;
  host: string | null;
  user_agent: string | null;
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

/** HAProxy's escaping of captures: control and delimiter characters as `#XX`. */
const escape = (s: string) =>
  s.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f"#{}|]/g,
    (c) => `#${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`,
  );

/** An old row as the line Tandem's format would have carried (what the block store keeps). */
export function storedLineOfRow(r: OldRow): string {
  const n = (v: number | null) => String(v ?? -1);
  const common = [
    r.client_ip ?? '',
    n(r.client_port),
    String(r.at),
    `${r.frontend ?? ''}${r.tls === 1 ? '~' : ''}`,
    r.backend ?? '',
    r.server ?? '<NOSRV>',
  ];
  if (r.kind === 'http') {
    return [
      HTTP_LOG_TAG,
      ...common,
      n(r.t_request),
      n(r.t_queue),
      n(r.t_connect),
      n(r.t_response),
      n(r.t_total),
      n(r.status),
      n(r.bytes),
      r.termination ?? '----',
      n(r.retries),
      'hu',
      `{${escape(r.host ?? '')}|${escape(r.user_agent ?? '')}}`,
      r.method && r.uri ? `${r.method} ${escape(r.uri).replace(/ /g, '#20')}` : '<BADREQ>',
    ].join('\t');
  }
  if (r.kind === 'tcp') {
    return [
      TCP_LOG_TAG,
      ...common,
      n(r.t_queue),
      n(r.t_connect),
      n(r.t_total),
      n(r.bytes),
      r.termination ?? '--',
      n(r.retries),
    ].join('\t');
  }
  // A notice keeps its words; a line that did not parse stays as it came.
  if (r.kind === 'message') return `~${r.at}\t<134>Jan  1 00:00:00 haproxy: ${r.raw ?? ''}`;
  return `~${r.at}\t${(r.raw ?? '').replace(/\n/g, ' ')}`;
}

/**
 * Migration 6 (ADR 0017): the per-line table, its five indexes and text indexes become blocks.
 * Every line is carried over with its id (a console's cursor stays valid); a gap in the ids
 * starts a new block, since a block's lines are numbered from its id.
 */
export function migrateToLogBlocks(db: Database.Database): void {
  db.exec(`
    CREATE TABLE log_blocks (
      id INTEGER PRIMARY KEY,
      n INTEGER NOT NULL,
      at_min INTEGER NOT NULL,
      at_max INTEGER NOT NULL,
      -- Lines not in Tandem's format (kept whole behind ~): such a block is read line by line.
      foreign_lines INTEGER NOT NULL,
      text TEXT NOT NULL
    );
    -- Written by the indexer after the block (none yet: not summarized); n names the block's
    -- form it was made from, since a merge keeps the id of its first block.
    CREATE TABLE log_summaries (
      id INTEGER PRIMARY KEY,
      n INTEGER NOT NULL,
      summary TEXT NOT NULL,
      bloom BLOB NOT NULL
    );
  `);
  const insertBlock = db.prepare(
    'INSERT INTO log_blocks (id, n, at_min, at_max, foreign_lines, text) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertSummary = db.prepare(
    'INSERT INTO log_summaries (id, n, summary, bloom) VALUES (?, ?, ?, ?)',
  );
  // Pages, not one iteration: the connection cannot insert while a statement iterates.
  const page = db.prepare(
    'SELECT l.*, ua.text AS user_agent FROM logs l LEFT JOIN user_agents ua ON ua.id = l.ua WHERE l.id > ? ORDER BY l.id LIMIT 5000',
  ) as Database.Statement<[number], OldRow>;
  let first = 0;
  let lines: string[] = [];
  const flush = () => {
    if (lines.length === 0) return;
    const b = buildLogBlock(lines, 0);
    const foreign = lines.filter((l) => !isCompactLog(l)).length;
    insertBlock.run(first, b.n, b.atMin, b.atMax, foreign, lines.join('\n'));
    insertSummary.run(first, b.n, JSON.stringify(b.summary), Buffer.from(b.bloom));
    lines = [];
  };
  for (let rows = page.all(0); rows.length > 0; rows = page.all(rows[rows.length - 1]?.id ?? 0)) {
    for (const r of rows) {
      if (lines.length >= 5_000 || (lines.length > 0 && r.id !== first + lines.length)) flush();
      if (lines.length === 0) first = r.id;
      lines.push(storedLineOfRow(r));
    }
  }
  flush();
  db.exec(`
    DROP TABLE logs_fts;
    DROP TABLE logs;
    DROP TABLE user_agents_fts;
    DROP TABLE user_agents;
  `);
}
