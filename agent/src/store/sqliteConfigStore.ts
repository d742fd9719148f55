import Database from 'better-sqlite3';
import { TandemError } from '@tandem/core';
import type {
  ConfigStore,
  PairingRecord,
  GenerationRecord,
  GenerationSummaryRecord,
  NewGeneration,
} from './configStore.js';
import { migrate, type Migration } from './migrate.js';
import { limitPageCache } from './limitPageCache.js';

const MIGRATIONS: Migration[] = [
  (db) =>
    db.exec(`
      CREATE TABLE generations (
        number      INTEGER PRIMARY KEY,
        hash        TEXT NOT NULL,
        parent_hash TEXT,
        author      TEXT NOT NULL,
        message     TEXT NOT NULL,
        origin      TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        config      TEXT NOT NULL
      );
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `),
  // Pairing (ADR 0015): which unit made each change, and the archive a joining unit's own
  // history moves to when it takes the cluster's log.
  (db) =>
    db.exec(`
      ALTER TABLE generations ADD COLUMN unit TEXT;
      CREATE TABLE archived_generations (
        id          INTEGER PRIMARY KEY,
        archived_at TEXT NOT NULL,
        reason      TEXT NOT NULL,
        number      INTEGER NOT NULL,
        hash        TEXT NOT NULL,
        parent_hash TEXT,
        author      TEXT NOT NULL,
        message     TEXT NOT NULL,
        origin      TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        config      TEXT NOT NULL,
        unit        TEXT
      );
    `),
];

interface Row {
  number: number;
  hash: string;
  parent_hash: string | null;
  author: string;
  message: string;
  origin: GenerationRecord['origin'];
  created_at: string;
  config?: string;
  unit: string | null;
}

function toSummary(r: Row): GenerationSummaryRecord {
  return {
    number: r.number,
    hash: r.hash,
    parentHash: r.parent_hash,
    author: r.author,
    message: r.message,
    origin: r.origin,
    createdAt: r.created_at,
    unit: r.unit,
  };
}

function toRecord(r: Row): GenerationRecord {
  return { ...toSummary(r), config: r.config ?? '' };
}

/**
 * SQLite config store. WAL with synchronous=FULL: an acknowledged change survives a power cut.
 * integrity_check at open refuses to run on a damaged file instead of serving half a history.
 */
export function openSqliteConfigStore(path: string): ConfigStore {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  limitPageCache(db);
  const check = db.pragma('integrity_check', { simple: true });
  if (check !== 'ok') {
    db.close();
    throw new TandemError(
      'store_corrupt',
      `config store ${path} failed its integrity check: ${String(check)}`,
    );
  }
  migrate(db, MIGRATIONS);

  const q = {
    latest: db.prepare<[], Row>('SELECT * FROM generations ORDER BY number DESC LIMIT 1'),
    get: db.prepare<[number], Row>('SELECT * FROM generations WHERE number = ?'),
    list: db.prepare<[number, number], Row>(
      'SELECT number, hash, parent_hash, author, message, origin, created_at, unit FROM generations WHERE number < ? ORDER BY number DESC LIMIT ?',
    ),
    insert: db.prepare(
      'INSERT INTO generations (number, hash, parent_hash, author, message, origin, created_at, config, unit) VALUES (@number, @hash, @parentHash, @author, @message, @origin, @createdAt, @config, @unit)',
    ),
    getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    setMeta: db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ),
    delMeta: db.prepare('DELETE FROM meta WHERE key = ?'),
    archive: db.prepare(
      'INSERT INTO archived_generations (archived_at, reason, number, hash, parent_hash, author, message, origin, created_at, config, unit) SELECT ?, ?, number, hash, parent_hash, author, message, origin, created_at, config, unit FROM generations ORDER BY number',
    ),
    clear: db.prepare('DELETE FROM generations'),
    archiveAfter: db.prepare(
      'INSERT INTO archived_generations (archived_at, reason, number, hash, parent_hash, author, message, origin, created_at, config, unit) SELECT ?, ?, number, hash, parent_hash, author, message, origin, created_at, config, unit FROM generations WHERE number > ? ORDER BY number',
    ),
    deleteAfter: db.prepare('DELETE FROM generations WHERE number > ?'),
    hashes: db.prepare<[], { number: number; hash: string }>(
      'SELECT number, hash FROM generations ORDER BY number',
    ),
  };
  const metaNumber = (key: string): number | null => {
    const row = q.getMeta.get(key);
    return row ? Number(row.value) : null;
  };

  const append = db.transaction(
    (base: number | null, g: NewGeneration): GenerationRecord | null => {
      const latest = q.latest.get();
      if ((latest?.number ?? null) !== base) return null;
      const record: GenerationRecord = { ...g, number: (latest?.number ?? 0) + 1 };
      q.insert.run(record);
      return record;
    },
  );
  const appendReplicated = db.transaction((entries: readonly GenerationRecord[]): boolean => {
    const latest = q.latest.get();
    const first = entries[0];
    if (!first) return true;
    if (first.number !== (latest?.number ?? 0) + 1 || first.parentHash !== (latest?.hash ?? null))
      return false;
    for (const e of entries) q.insert.run(e);
    return true;
  });
  const replaceLog = db.transaction((entries: readonly GenerationRecord[], reason: string) => {
    q.archive.run(new Date().toISOString(), reason);
    q.clear.run();
    for (const e of entries) q.insert.run(e);
    q.delMeta.run('running');
    q.delMeta.run('applying');
  });

  const archiveAfter = db.transaction((n: number, reason: string): number => {
    q.archiveAfter.run(new Date().toISOString(), reason, n);
    const moved = q.deleteAfter.run(n).changes;
    // What runs is no longer a generation of this log: the next apply says what runs.
    for (const key of ['running', 'applying']) if ((metaNumber(key) ?? 0) > n) q.delMeta.run(key);
    return moved;
  });

  // BEGIN IMMEDIATE: the check of the latest generation and the insert cannot interleave with
  // another writer (there is only one, but a second agent started by mistake must not corrupt).
  const appendImmediate = (base: number | null, g: NewGeneration) => append.immediate(base, g);

  return {
    latest: () => {
      const r = q.latest.get();
      return r ? toRecord(r) : null;
    },
    get: (n) => {
      const r = q.get.get(n);
      return r ? toRecord(r) : null;
    },
    list: (limit, before = Number.MAX_SAFE_INTEGER) => q.list.all(before, limit).map(toSummary),
    append: appendImmediate,
    appendReplicated: (entries) => appendReplicated.immediate(entries),
    replaceLog: (entries, reason) => replaceLog.immediate(entries, reason),
    archiveAfter: (n, reason) => archiveAfter.immediate(n, reason),
    hashes: () => q.hashes.all(),
    clusterNode: () => {
      const row = q.getMeta.get('clusterNode');
      return row ? (JSON.parse(row.value) as unknown) : null;
    },
    setClusterNode: (n) =>
      void (n === null || n === undefined
        ? q.delMeta.run('clusterNode')
        : q.setMeta.run('clusterNode', JSON.stringify(n))),
    pairing: () => {
      const row = q.getMeta.get('pairing');
      return row ? (JSON.parse(row.value) as PairingRecord) : null;
    },
    setPairing: (p) =>
      void (p === null ? q.delMeta.run('pairing') : q.setMeta.run('pairing', JSON.stringify(p))),
    running: () => metaNumber('running'),
    setRunning: db.transaction((n: number, how: 'loaded' | 'live' = 'loaded') => {
      q.setMeta.run('running', String(n));
      if (how === 'loaded') q.setMeta.run('loaded', String(n));
    }),
    // A store from before 'loaded' was kept: its running generation is the best guess.
    loaded: () => metaNumber('loaded') ?? metaNumber('running'),
    liveChange: () => {
      const row = q.getMeta.get('liveChange');
      return row ? (JSON.parse(row.value) as { generation: number; commands: string[] }) : null;
    },
    setLiveChange: (c) =>
      void (c === null
        ? q.delMeta.run('liveChange')
        : q.setMeta.run('liveChange', JSON.stringify(c))),
    applying: () => metaNumber('applying'),
    setApplying: (n) =>
      void (n === null ? q.delMeta.run('applying') : q.setMeta.run('applying', String(n))),
    close: () => db.close(),
  };
}
