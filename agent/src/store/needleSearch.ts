import type { LogFilter, LogRow } from '@tandem/core';

/**
 * Bytes every matching line holds, for a filter that names a field (the longest, as the most
 * telling), and the bytes that may follow them: a search for them in a block's bytes finds its
 * candidate lines at once (ADR 0017). The needle ends with the value, not with a tab, so the
 * search can skip ahead by its last character.
 */
export interface Needle {
  bytes: Buffer;
  /** Bytes allowed right after the needle (null: any). */
  then: readonly number[] | null;
}

const TAB = 9;

export function needleOf(f: LogFilter): Needle | null {
  const candidates: [string, readonly number[] | null][] = [];
  if (f.backend !== undefined) candidates.push([`\t${f.backend}`, [TAB]]);
  if (f.server !== undefined) candidates.push([`\t${f.server}`, [TAB]]);
  if (f.frontend !== undefined) candidates.push([`\t${f.frontend}`, [TAB, 0x7e]]);
  if (f.status !== undefined) candidates.push([`\t${f.status}`, [TAB]]);
  if (f.clientPrefix !== undefined) candidates.push([`\t${f.clientPrefix}`, null]);
  if (f.method !== undefined) candidates.push([`\t${f.method}`, [0x20]]);
  const [best] = candidates.sort((a, b) => b[0].length - a[0].length);
  return best ? { bytes: Buffer.from(best[0]), then: best[1] } : null;
}

/**
 * The rows that `match` keeps among the lines of a block (its bytes, first line `firstId`) that
 * hold the needle: only those lines are decoded and parsed, and their places in the block are
 * counted once, for the rows kept. For blocks whose lines are all in Tandem's format (other
 * lines' fields are not tab-separated).
 */
export function rowsByNeedle(
  bytes: Buffer,
  firstId: number,
  needle: Needle,
  match: (text: string) => LogRow | null,
): LogRow[] {
  const kept: [number, LogRow][] = [];
  const n = needle.bytes;
  for (let at = bytes.indexOf(n); at >= 0;) {
    const next = bytes[at + n.length];
    if (needle.then && (next === undefined || !needle.then.includes(next))) {
      at = bytes.indexOf(n, at + 1);
      continue;
    }
    const start = bytes.lastIndexOf(10, at) + 1;
    const end = bytes.indexOf(10, at);
    const row = match(bytes.toString('utf8', start, end < 0 ? bytes.length : end));
    if (row) kept.push([start, row]);
    if (end < 0) break;
    at = bytes.indexOf(n, end + 1);
  }
  let line = 0;
  let from = 0;
  for (const [start, row] of kept) {
    for (let nl = bytes.indexOf(10, from); nl >= 0 && nl < start; nl = bytes.indexOf(10, nl + 1)) {
      line++;
      from = nl + 1;
    }
    row.id = firstId + line;
  }
  return kept.map(([, row]) => row);
}
