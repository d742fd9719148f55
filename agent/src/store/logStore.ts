import type Database from 'better-sqlite3';
import {
  blockMayMatch,
  buildLogBlock,
  codesMayMatch,
  isCompactLog,
  lineMayMatch,
  readStoredLine,
  storedLineAt,
  rowMatches,
  searchTokens,
  searchWords,
  type LogBlockSummary,
  type LogFilter,
  type LogRow,
} from '@tandem/core';
import { needleOf, rowsByNeedle } from './needleSearch.js';

/**
 * Log lines in the telemetry DB as blocks (ADR 0017; schema in logBlocksMigration.ts): each batch
 * the writer takes becomes one row holding its lines as received and the block's time span. The
 * block's summary (the distinct values of the filter fields and a Bloom filter of its words and
 * clients) is added later by the indexer, a low-priority thread that yields the CPU to HAProxy
 * under load; a query reads the blocks newest first, skips those whose summary rules them out,
 * and parses the lines of the rest (a block not yet summarized is read).
 *
 * Line ids are the block's id plus the line's place in it: blocks are contiguous (a block's id
 * is the one after the previous block's last line), and only the oldest blocks are ever removed.
 */
export type { LogFilter, LogRow };

/** A block under this many lines is merged with its small neighbours once they add up or age. */
export const BLOCK_MIN = 1_000;
/** Small blocks older than this are merged even when they do not add up (a quiet unit). */
const MERGE_AFTER_MS = 60_000;
/** ...and so are this many: each write looks at no more than these. */
const MERGE_COUNT = 64;
/** No block holds more: a query parses at most this many lines in vain per block. */
export const BLOCK_MAX = 8_192;

/** A block's summary as the indexer makes it and the writer stores it. */
export interface BlockSummaryRecord {
  id: number;
  n: number;
  summary: string;
  bloom: Uint8Array;
  /** Per-line codes of the filter fields (LogBlock.codes). */
  codes: Uint8Array;
  errors: number;
}

interface BlockMeta {
  id: number;
  n: number;
  at_min: number;
  at_max: number;
  foreign_lines: number;
  summary: string | null;
  bloom: Buffer | null;
  /** Null for a summary made before migration 7: the block is read to tell. */
  codes: Buffer | null;
}

export function openLogStore(db: Database.Database) {
  const insertBlock = db.prepare(
    'INSERT INTO log_blocks (id, n, at_min, at_max, foreign_lines, text) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const latest = db
    .prepare('SELECT COALESCE(MAX(id + n), 1) - 1 FROM log_blocks')
    .pluck() as Database.Statement<[], number>;
  const trailing = db.prepare(
    `SELECT id, n, at_min FROM log_blocks ORDER BY id DESC LIMIT ${MERGE_COUNT}`,
  ) as Database.Statement<[], { id: number; n: number; at_min: number }>;
  const textOf = db
    .prepare('SELECT text FROM log_blocks WHERE id = ?')
    .pluck() as Database.Statement<[number], string>;
  const bytesOf = db
    .prepare('SELECT CAST(text AS BLOB) FROM log_blocks WHERE id = ?')
    .pluck() as Database.Statement<[number], Buffer>;
  const removeBlockRange = db.prepare('DELETE FROM log_blocks WHERE id >= ? AND id <= ?');
  const removeSummaryRange = db.prepare('DELETE FROM log_summaries WHERE id >= ? AND id <= ?');
  const removeRange = (from: number, to: number) => {
    removeBlockRange.run(from, to);
    removeSummaryRange.run(from, to);
  };
  // Summaries live in their own table: a block's row is written once and never again (updating
  // it would rewrite its whole text). A summary counts only for the block it was made from.
  const pending = db.prepare(
    `SELECT b.id, b.n FROM log_blocks b
      WHERE NOT EXISTS (SELECT 1 FROM log_summaries s WHERE s.id = b.id AND s.n = b.n)
      ORDER BY b.id DESC LIMIT 32`,
  ) as Database.Statement<[], { id: number; n: number }>;
  const blockText = db.prepare(
    'SELECT at_min, text FROM log_blocks WHERE id = ? AND n = ?',
  ) as Database.Statement<[number, number], { at_min: number; text: string }>;
  const setSummary = db.prepare(
    `INSERT OR REPLACE INTO log_summaries (id, n, summary, bloom, codes)
      SELECT @id, @n, @summary, @bloom, @codes WHERE EXISTS (SELECT 1 FROM log_blocks WHERE id = @id AND n = @n)`,
  );

  /** Writes lines as blocks from `firstId` on, dated by their lines; no summary yet. */
  const write = (lines: string[], firstId: number, now: number): void => {
    for (let i = 0; i < lines.length; i += BLOCK_MAX) {
      const part = i === 0 && lines.length <= BLOCK_MAX ? lines : lines.slice(i, i + BLOCK_MAX);
      let atMin = Infinity;
      let atMax = -Infinity;
      let foreign = 0;
      for (const l of part) {
        const at = storedLineAt(l, now);
        if (at < atMin) atMin = at;
        if (at > atMax) atMax = at;
        if (!isCompactLog(l)) foreign++;
      }
      insertBlock.run(firstId + i, part.length, atMin, atMax, foreign, part.join('\n'));
    }
  };

  /**
   * The small blocks at the end (a quiet unit writes one per batch) become one once they hold
   * BLOCK_MIN lines, number MERGE_COUNT, or the oldest is a minute old: fewer, larger blocks keep
   * queries' reads few.
   */
  const mergeTail = (now: number) => {
    const small: { id: number; n: number; at_min: number }[] = [];
    for (const b of trailing.all()) {
      // Only a contiguous run: merging across a gap would renumber lines a cursor may hold.
      const next = small[small.length - 1];
      if (b.n >= BLOCK_MIN || (next && b.id + b.n !== next.id)) break;
      small.push(b);
    }
    if (small.length < 2) return;
    const total = small.reduce((s, b) => s + b.n, 0);
    const oldest = small[small.length - 1];
    const due =
      total >= BLOCK_MIN ||
      small.length >= MERGE_COUNT ||
      now - (oldest?.at_min ?? now) >= MERGE_AFTER_MS;
    if (!oldest || !due) return;
    const lines: string[] = [];
    for (let i = small.length - 1; i >= 0; i--) {
      const b = small[i];
      if (b) lines.push(...textOf.get(b.id)!.split('\n'));
    }
    removeRange(oldest.id, small[0]?.id ?? oldest.id);
    write(lines, oldest.id, now);
  };

  const append = db.transaction((lines: string[], now: number): void => {
    write(lines, latest.get()! + 1, now);
    mergeTail(now);
  });

  const metaNewest = db.prepare(
    `SELECT b.id, b.n, b.at_min, b.at_max, b.foreign_lines, s.summary, s.bloom, s.codes FROM log_blocks b
      LEFT JOIN log_summaries s ON s.id = b.id AND s.n = b.n
      WHERE b.id < ? AND b.at_max >= ? AND b.at_min < ? ORDER BY b.id DESC`,
  ) as Database.Statement<[number, number, number], BlockMeta>;
  const metaOldest = db.prepare(
    `SELECT b.id, b.n, b.at_min, b.at_max, b.foreign_lines, s.summary, s.bloom, s.codes FROM log_blocks b
      LEFT JOIN log_summaries s ON s.id = b.id AND s.n = b.n
      WHERE b.id > ? AND b.at_max >= ? AND b.at_min < ? ORDER BY b.id ASC`,
  ) as Database.Statement<[number, number, number], BlockMeta>;

  /**
   * Removes whole blocks; returns the lines they held. The newest block always stays: it holds
   * the next line id, which must never be handed out twice (a live tail's cursor would skip).
   */
  const removeBlocks = (where: string, arg: number): number => {
    const keep = `${where} AND id < (SELECT MAX(id) FROM log_blocks)`;
    const n = db
      .prepare(`SELECT COALESCE(SUM(n), 0) FROM log_blocks WHERE ${keep}`)
      .pluck()
      .get(arg) as number;
    db.prepare(
      `DELETE FROM log_summaries WHERE id IN (SELECT id FROM log_blocks WHERE ${keep})`,
    ).run(arg);
    db.prepare(`DELETE FROM log_blocks WHERE ${keep}`).run(arg);
    return n;
  };

  return {
    /**
     * Stored lines (toStoredLine) in one transaction: a few fsyncs a second however many lines
     * arrive. `now` dates lines that carry no time of their own.
     */
    append(lines: string[], now: number): void {
      if (lines.length > 0) append.immediate(lines, now);
    },
    /**
     * The summary of the newest block that has none yet and is not in `inFlight` (keys `id:n`:
     * the indexer's summaries on their way to the writer), which also loses the keys of blocks
     * no longer waiting; null when none waits. Reads only.
     */
    summarizeNext(inFlight: Set<string> = new Set()): BlockSummaryRecord | null {
      const waiting = pending.all();
      const keys = new Set(waiting.map((b) => `${b.id}:${b.n}`));
      for (const k of inFlight) if (!keys.has(k)) inFlight.delete(k);
      const next = waiting.find((b) => !inFlight.has(`${b.id}:${b.n}`));
      const b = next && blockText.get(next.id, next.n);
      if (!next || !b) return null;
      const built = buildLogBlock(b.text.split('\n'), b.at_min);
      return {
        id: next.id,
        n: next.n,
        summary: JSON.stringify(built.summary),
        bloom: built.bloom,
        codes: built.codes,
        errors: built.summary.errors,
      };
    },
    /**
     * Stores a summary, unless its block was merged or removed meanwhile (its new form is
     * pending itself). The writer's job: only one thread writes the log tables.
     */
    saveSummary(r: BlockSummaryRecord): void {
      const bytes = (a: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
      setSummary.run({
        id: r.id,
        n: r.n,
        summary: r.summary,
        bloom: bytes(r.bloom),
        codes: bytes(r.codes),
      });
    },
    /** Summarizes and stores the newest waiting block (in one thread: tests, tools). */
    indexNext(): { lines: number; errors: number } | null {
      const r = this.summarizeNext();
      if (!r) return null;
      this.saveSummary(r);
      return { lines: r.n, errors: r.errors };
    },
    query(f: LogFilter): LogRow[] {
      const words = f.text ? searchWords(f.text).map((w) => w.toLowerCase()) : [];
      const tokens = f.text ? searchTokens(f.text) : [];
      if (f.text && tokens.length === 0) return [];
      // eslint-disable-next-line no-control-regex
      const asciiWords = words.filter((w) => /^[\x00-\x7f]*$/.test(w));
      const oldestFirst = f.after !== undefined;
      const needle = needleOf(f);
      // A block may start up to BLOCK_MAX lines before the cursor and still hold lines after it.
      const metas = oldestFirst
        ? metaOldest.iterate(
            (f.after ?? 0) - BLOCK_MAX,
            f.from ?? -Number.MAX_VALUE,
            f.to ?? Number.MAX_VALUE,
          )
        : metaNewest.iterate(
            f.before ?? Number.MAX_SAFE_INTEGER,
            f.from ?? -Number.MAX_VALUE,
            f.to ?? Number.MAX_VALUE,
          );
      const out: LogRow[] = [];
      const inRange = (rowId: number) =>
        (f.before === undefined || rowId < f.before) && (f.after === undefined || rowId > f.after);
      /** Keeps a row; true once the page is full. */
      const take = (row: LogRow): boolean => {
        out.push(row);
        return out.length >= f.limit;
      };
      for (const m of metas) {
        if (oldestFirst && m.id + m.n - 1 <= (f.after ?? 0)) continue;
        if (m.summary !== null && m.bloom !== null) {
          const summary = JSON.parse(m.summary) as LogBlockSummary;
          const bloom = new Uint8Array(m.bloom.buffer, m.bloom.byteOffset, m.bloom.byteLength);
          if (!blockMayMatch({ atMin: m.at_min, atMax: m.at_max, summary, bloom }, f, tokens))
            continue;
          // Values that each appear in the block but never on one line: skipped unread.
          if (m.codes !== null && !codesMayMatch(summary, m.codes, m.n, f)) continue;
        }
        if (needle && m.foreign_lines === 0) {
          const found = rowsByNeedle(bytesOf.get(m.id)!, m.id, needle, (text) => {
            if (!lineMayMatch(text, f, asciiWords)) return null;
            const row = readStoredLine(text, 0, m.at_min);
            return rowMatches(row, f, words, tokens) ? row : null;
          });
          for (let k = 0; k < found.length; k++) {
            const row = found[oldestFirst ? k : found.length - 1 - k];
            if (row && inRange(row.id) && take(row)) {
              metas.return?.();
              return out;
            }
          }
          continue;
        }
        // Line by line, newest (or oldest) first, parsing only what may match, until the limit.
        const lines = textOf.get(m.id)!.split('\n');
        for (let k = 0; k < lines.length; k++) {
          const i = oldestFirst ? k : lines.length - 1 - k;
          const id = m.id + i;
          const text = lines[i] ?? '';
          if (!inRange(id) || !lineMayMatch(text, f, asciiWords)) continue;
          const row = readStoredLine(text, id, m.at_min);
          if (rowMatches(row, f, words, tokens) && take(row)) {
            metas.return?.();
            return out;
          }
        }
      }
      return out;
    },
    /** Retention: drop blocks older than `maxAgeMs`, then the oldest tenth while over `maxBytes`. */
    prune(now: number, maxAgeMs: number, maxBytes: number): number {
      let removed = removeBlocks('at_max < ?', now - maxAgeMs);
      const size = () =>
        (db.pragma('page_count', { simple: true }) as number) *
        (db.pragma('page_size', { simple: true }) as number);
      for (let i = 0; i < 10 && size() > maxBytes; i++) {
        const blocks = db.prepare('SELECT COUNT(*) FROM log_blocks').pluck().get() as number;
        if (blocks === 0) break;
        const cut = db
          .prepare('SELECT id FROM log_blocks ORDER BY id LIMIT 1 OFFSET ?')
          .pluck()
          .get(Math.max(1, Math.floor(blocks / 10))) as number | undefined;
        removed += removeBlocks('id < ?', cut ?? Number.MAX_SAFE_INTEGER);
        db.pragma('incremental_vacuum');
      }
      return removed;
    },
    /** Blocks waiting for their summary (a backlog the indexer works through). */
    pendingBlocks: (): number =>
      db
        .prepare(
          'SELECT COUNT(*) FROM log_blocks b WHERE NOT EXISTS (SELECT 1 FROM log_summaries s WHERE s.id = b.id AND s.n = b.n)',
        )
        .pluck()
        .get() as number,
    count: (): number =>
      db.prepare('SELECT COALESCE(SUM(n), 0) FROM log_blocks').pluck().get() as number,
    /** The newest line's id (0 when empty): where a live tail starts. */
    latestId: (): number => latest.get()!,
  };
}
export type LogStore = ReturnType<typeof openLogStore>;
