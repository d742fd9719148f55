import { migrateToLogBlocks } from './logBlocksMigration.js';
import type { Migration } from './migrate.js';

/**
 * The telemetry DB's schema, one list for the whole file (logs, stats series, events), since
 * `user_version` counts the steps of one file. Steps are never edited once shipped; new ones go last.
 */
export const TELEMETRY_MIGRATIONS: readonly Migration[] = [
  // 1: log lines with parsed columns and a full-text index on URL, host and user agent.
  (db) =>
    db.exec(`
      CREATE TABLE logs (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        kind TEXT,
        frontend TEXT, backend TEXT, server TEXT,
        client_ip TEXT, client_port INTEGER,
        status INTEGER, method TEXT, url TEXT, host TEXT, user_agent TEXT, uri TEXT,
        bytes INTEGER,
        t_request INTEGER, t_queue INTEGER, t_connect INTEGER, t_response INTEGER, t_total INTEGER,
        termination TEXT, retries INTEGER, tls INTEGER,
        parse_error TEXT, raw TEXT
      );
      CREATE INDEX logs_at ON logs(at);
      CREATE INDEX logs_status_at ON logs(status, at);
      CREATE INDEX logs_frontend_at ON logs(frontend, at);
      CREATE INDEX logs_backend_at ON logs(backend, at);
      CREATE VIRTUAL TABLE logs_fts USING fts5(url, host, user_agent, content='logs', content_rowid='id');
      CREATE TRIGGER logs_ai AFTER INSERT ON logs BEGIN
        INSERT INTO logs_fts (rowid, url, host, user_agent) VALUES (new.id, new.url, new.host, new.user_agent);
      END;
      CREATE TRIGGER logs_ad AFTER DELETE ON logs BEGIN
        INSERT INTO logs_fts (logs_fts, rowid, url, host, user_agent) VALUES ('delete', old.id, old.url, old.host, old.user_agent);
      END;
    `),
  // 2: ingest speed and size (ADR 0009). User agents move to a dictionary with its own text
  // index (a few distinct strings among millions of lines); the URL is composed on read from
  // scheme, host and path and stored only when it is absolute; the text index keeps no positions
  // (detail=none) and covers path and host; the filter indexes are single-column, each holding
  // (value, rowid), which is exactly "WHERE backend = ? ORDER BY id DESC LIMIT n".
  (db) =>
    db.exec(`
      CREATE TABLE user_agents (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
      CREATE VIRTUAL TABLE user_agents_fts USING fts5(text, content='user_agents', content_rowid='id', detail=none);
      CREATE TRIGGER user_agents_ai AFTER INSERT ON user_agents BEGIN
        INSERT INTO user_agents_fts (rowid, text) VALUES (new.id, new.text);
      END;
      CREATE TRIGGER user_agents_ad AFTER DELETE ON user_agents BEGIN
        INSERT INTO user_agents_fts (user_agents_fts, rowid, text) VALUES ('delete', old.id, old.text);
      END;
      INSERT INTO user_agents (text) SELECT DISTINCT user_agent FROM logs WHERE user_agent IS NOT NULL;
      CREATE TABLE logs_v2 (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        kind TEXT,
        frontend TEXT, backend TEXT, server TEXT,
        client_ip TEXT, client_port INTEGER,
        status INTEGER, method TEXT, uri TEXT, host TEXT,
        ua INTEGER REFERENCES user_agents(id),
        url TEXT,
        bytes INTEGER,
        t_request INTEGER, t_queue INTEGER, t_connect INTEGER, t_response INTEGER, t_total INTEGER,
        termination TEXT, retries INTEGER, tls INTEGER,
        parse_error TEXT, raw TEXT
      );
      INSERT INTO logs_v2 (id, at, kind, frontend, backend, server, client_ip, client_port, status, method, uri, host, bytes, t_request, t_queue, t_connect, t_response, t_total, termination, retries, tls, parse_error, raw, ua, url)
        SELECT id, at, kind, frontend, backend, server, client_ip, client_port, status, method, uri, host, bytes, t_request, t_queue, t_connect, t_response, t_total, termination, retries, tls, parse_error, raw,
          (SELECT u.id FROM user_agents u WHERE u.text = logs.user_agent),
          CASE WHEN url LIKE 'http%://' || host || '%' THEN NULL ELSE url END
        FROM logs;
      DROP TABLE logs_fts;
      DROP TABLE logs;
      ALTER TABLE logs_v2 RENAME TO logs;
      CREATE VIRTUAL TABLE logs_fts USING fts5(uri, host, content='logs', content_rowid='id', detail=none, columnsize=0);
      INSERT INTO logs_fts (logs_fts) VALUES ('rebuild');
      CREATE TRIGGER logs_ai AFTER INSERT ON logs BEGIN
        INSERT INTO logs_fts (rowid, uri, host) VALUES (new.id, new.uri, new.host);
      END;
      CREATE TRIGGER logs_ad AFTER DELETE ON logs BEGIN
        INSERT INTO logs_fts (logs_fts, rowid, uri, host) VALUES ('delete', old.id, old.uri, old.host);
      END;
      CREATE INDEX logs_at ON logs(at);
      CREATE INDEX logs_status ON logs(status);
      CREATE INDEX logs_frontend ON logs(frontend);
      CREATE INDEX logs_backend ON logs(backend);
    `),
  // 3: stats series. One row per entity, tier and step; the metrics packed as float32 in
  // STAT_METRICS order (68 bytes), the entity state as a small integer.
  (db) =>
    db.exec(`
      CREATE TABLE stat_entities (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);
      CREATE TABLE stat_points (
        entity INTEGER NOT NULL,
        tier INTEGER NOT NULL,
        at INTEGER NOT NULL,
        state INTEGER NOT NULL,
        v BLOB NOT NULL,
        PRIMARY KEY (entity, tier, at)
      ) WITHOUT ROWID;
      CREATE INDEX stat_points_tier_at ON stat_points(tier, at);
    `),
  // 4: the event timeline (apply results, server state changes, VRRP, sync, logins).
  (db) =>
    db.exec(`
      CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        severity TEXT NOT NULL,
        subject TEXT NOT NULL,
        message TEXT NOT NULL,
        data TEXT
      );
      CREATE INDEX events_at ON events(at);
      CREATE INDEX events_kind ON events(kind);
    `),
  // 5: the log text index is filled once per batch and cleaned once per prune by the store
  // (logStore.ts), not by per-row triggers: FTS5 writes its pending terms out as a new segment
  // at every statement savepoint, and a trigger opens one per row, so the trigger made each
  // line its own segment, and the merges that followed were two thirds of the ingest cost.
  (db) =>
    db.exec(`
      DROP TRIGGER logs_ai;
      DROP TRIGGER logs_ad;
    `),
  // 6: log lines as blocks with summaries instead of rows with indexes (ADR 0017).
  migrateToLogBlocks,
  // 7: per-line codes of the filter fields in each summary (ADR 0017). Summaries made before
  // have none; a query reads their blocks, as it did.
  (db) => db.exec('ALTER TABLE log_summaries ADD COLUMN codes BLOB'),
];
