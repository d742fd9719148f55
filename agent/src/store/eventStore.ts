import type Database from 'better-sqlite3';
import type { EventInput, EventKind, EventRow } from '@tandem/core';

/**
 * The event timeline (schema step 4): what happened on the unit, newest first: apply results,
 * server and backend state changes, runtime changes, agent starts, VRRP transitions and sync
 * (failover issue), logins (console issue).
 */
export type { EventInput, EventKind, EventRow, Severity } from '@tandem/core';

export interface EventFilter {
  kind?: EventKind;
  from?: number;
  to?: number;
  before?: number;
  after?: number;
  limit: number;
}

export function openEventStore(db: Database.Database) {
  const insert = db.prepare(
    'INSERT INTO events (at, kind, severity, subject, message, data) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const listeners = new Set<(e: EventRow) => void>();
  return {
    add(e: EventInput): EventRow {
      const id = Number(
        insert.run(
          e.at,
          e.kind,
          e.severity,
          e.subject,
          e.message,
          e.data ? JSON.stringify(e.data) : null,
        ).lastInsertRowid,
      );
      const row = { ...e, id };
      for (const l of listeners) l(row);
      return row;
    },
    query(f: EventFilter): EventRow[] {
      const where: string[] = [];
      const args: (string | number)[] = [];
      const add = (sql: string, v: string | number) => {
        where.push(sql);
        args.push(v);
      };
      if (f.kind !== undefined) add('kind = ?', f.kind);
      if (f.from !== undefined) add('at >= ?', f.from);
      if (f.to !== undefined) add('at < ?', f.to);
      if (f.before !== undefined) add('id < ?', f.before);
      if (f.after !== undefined) add('id > ?', f.after);
      const sql = `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id ${f.after !== undefined ? 'ASC' : 'DESC'} LIMIT ?`;
      return (
        db.prepare(sql).all(...args, f.limit) as (Omit<EventRow, 'data'> & {
          data: string | null;
        })[]
      ).map((r) => ({
        ...r,
        data: r.data ? (JSON.parse(r.data) as Record<string, unknown>) : undefined,
      }));
    },
    /** Keeps `maxAgeMs` of history and at most `maxRows` events. */
    prune(now: number, maxAgeMs: number, maxRows: number): number {
      const old = db.prepare('DELETE FROM events WHERE at < ?').run(now - maxAgeMs).changes;
      const extra = db
        .prepare(
          'DELETE FROM events WHERE id <= (SELECT id FROM events ORDER BY id DESC LIMIT 1 OFFSET ?)',
        )
        .run(maxRows).changes;
      return old + extra;
    },
    /** Called for every event added (the live stream). */
    subscribe(l: (e: EventRow) => void): () => void {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}
export type EventStore = ReturnType<typeof openEventStore>;
