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
  // 2: ingest speed (ADR 0009). The text index keeps no positions (detail=none, columnsize=0) and
  // the filter indexes are single-column: each holds (value, rowid), which is exactly the
  // "WHERE backend = ? ORDER BY id DESC LIMIT n" the viewer asks.
  (db) =>
    db.exec(`
      DROP TRIGGER logs_ai;
      DROP TRIGGER logs_ad;
      DROP TABLE logs_fts;
      CREATE VIRTUAL TABLE logs_fts USING fts5(url, host, user_agent, content='logs', content_rowid='id', detail=none, columnsize=0);
      INSERT INTO logs_fts (logs_fts) VALUES ('rebuild');
      CREATE TRIGGER logs_ai AFTER INSERT ON logs BEGIN
        INSERT INTO logs_fts (rowid, url, host, user_agent) VALUES (new.id, new.url, new.host, new.user_agent);
      END;
      CREATE TRIGGER logs_ad AFTER DELETE ON logs BEGIN
        INSERT INTO logs_fts (logs_fts, rowid, url, host, user_agent) VALUES ('delete', old.id, old.url, old.host, old.user_agent);
      END;
      DROP INDEX logs_status_at;
      DROP INDEX logs_frontend_at;
      DROP INDEX logs_backend_at;
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
];
