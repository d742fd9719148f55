import Database from 'better-sqlite3';
import { TandemError } from '@tandem/core';
import type {
  ConfigStore,
  GenerationRecord,
  GenerationSummaryRecord,
  NewGeneration,
} from './configStore.js';
import { migrate, type Migration } from './migrate.js';

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
      'SELECT number, hash, parent_hash, author, message, origin, created_at FROM generations WHERE number < ? ORDER BY number DESC LIMIT ?',
    ),
    insert: db.prepare(
      'INSERT INTO generations (number, hash, parent_hash, author, message, origin, created_at, config) VALUES (@number, @hash, @parentHash, @author, @message, @origin, @createdAt, @config)',
    ),
    getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    setMeta: db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ),
    delMeta: db.prepare('DELETE FROM meta WHERE key = ?'),
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
    running: () => metaNumber('running'),
    setRunning: (n) => void q.setMeta.run('running', String(n)),
    applying: () => metaNumber('applying'),
    setApplying: (n) =>
      void (n === null ? q.delMeta.run('applying') : q.setMeta.run('applying', String(n))),
    close: () => db.close(),
  };
}
