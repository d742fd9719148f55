import type { LogRow } from '../api/logRow.js';
import { bloomHas, wordTokens } from './bloom.js';
import { isCompactLog } from './compactLog.js';
import {
  CLIENT_KEY,
  CODED_FIELDS,
  NO_CODE,
  type CodedField,
  type LogBlockSummary,
} from './logBlock.js';
import type { LogFilter } from './logFilter.js';

/**
 * Whether lines may match a log filter, at four depths (ADR 0017): a block from its summary, a
 * block from its per-line codes, a stored line from a cheap look at its text, and a parsed row,
 * exactly. Each of the first three may only say "no" when no line of what it looks at matches.
 */

/** The words of a text search: runs of letters, digits and `._-` (at most 16). */
export function searchWords(text: string): string[] {
  return (text.match(/[\p{L}\p{N}._-]+/gu) ?? []).slice(0, 16);
}

const has = <T>(list: T[] | null, v: T) => list === null || list.includes(v);

/** The search's tokens: every one must be a word of the line. */
export function searchTokens(text: string): string[] {
  return searchWords(text).flatMap((w) => wordTokens(w));
}

/** False when no line of the block can match the filter (read from its summary alone). */
export function blockMayMatch(
  b: { atMin: number; atMax: number; summary: LogBlockSummary; bloom: Uint8Array },
  f: LogFilter,
  tokens: readonly string[],
): boolean {
  const s = b.summary;
  if (f.from !== undefined && b.atMax < f.from) return false;
  if (f.to !== undefined && b.atMin >= f.to) return false;
  if (f.status !== undefined && !has(s.status, f.status)) return false;
  if (f.statusClass !== undefined) {
    const c = f.statusClass;
    if (s.status !== null && !s.status.some((x) => Math.floor(x / 100) === c)) return false;
  }
  if (f.frontend !== undefined && !has(s.frontend, f.frontend)) return false;
  if (f.backend !== undefined && !has(s.backend, f.backend)) return false;
  if (f.server !== undefined && !has(s.server, f.server)) return false;
  if (f.method !== undefined && !has(s.method, f.method)) return false;
  if (f.parseErrors && s.errors === 0) return false;
  if (f.clientPrefix !== undefined && !bloomHas(b.bloom, CLIENT_KEY + f.clientPrefix)) return false;
  return tokens.every((t) => bloomHas(b.bloom, t));
}

/** Which of a field's summary values the filter accepts; null when the field does not narrow. */
function accepted(s: LogBlockSummary, field: CodedField, f: LogFilter): Uint8Array | null {
  const list = s[field];
  const test =
    field === 'status'
      ? f.status === undefined && f.statusClass === undefined
        ? null
        : (v: string | number) =>
            (f.status === undefined || v === f.status) &&
            (f.statusClass === undefined || Math.floor(Number(v) / 100) === f.statusClass)
      : f[field] === undefined
        ? null
        : (v: string | number) => v === f[field];
  // A list that ran past MAX_DISTINCT has no codes for the values past it: no narrowing.
  if (test === null || list === null) return null;
  const ok = new Uint8Array(256);
  list.forEach((v, code) => (ok[code] = test(v) ? 1 : 0));
  return ok;
}

/**
 * False when no line of the block holds every value the filter names, read from the block's
 * per-line codes (LogBlock.codes) without its text; true when the codes cannot tell.
 */
export function codesMayMatch(
  s: LogBlockSummary,
  codes: Uint8Array,
  n: number,
  f: LogFilter,
): boolean {
  if (codes.length !== CODED_FIELDS.length * n) return true;
  const checks: [Uint8Array, number][] = [];
  CODED_FIELDS.forEach((field, k) => {
    const ok = accepted(s, field, f);
    if (ok) checks.push([ok, k * n]);
  });
  if (checks.length === 0) return true;
  for (let i = 0; i < n; i++) {
    let all = true;
    for (const [ok, run] of checks)
      if (ok[codes[run + i] ?? NO_CODE] !== 1) {
        all = false;
        break;
      }
    if (all) return true;
  }
  return false;
}

const STATUS_CLASS = Array.from({ length: 10 }, (_, c) => new RegExp(`\t${c}\\d\\d\t`));

/**
 * A cheap look at a stored line before it is parsed: false when the line cannot match (a value
 * the filter names is not in it as a whole field, or an ASCII search word is nowhere in it).
 * What a block's summary does for a block, for the lines of a block not summarized yet.
 */
export function lineMayMatch(line: string, f: LogFilter, asciiWords: readonly string[]): boolean {
  if (!isCompactLog(line)) return true;
  const field = (v: string) => line.includes(`\t${v}\t`);
  if (f.backend !== undefined && !field(f.backend)) return false;
  if (f.server !== undefined && !field(f.server)) return false;
  if (f.frontend !== undefined && !field(f.frontend) && !field(`${f.frontend}~`)) return false;
  if (f.status !== undefined && !field(String(f.status))) return false;
  if (f.statusClass !== undefined && !STATUS_CLASS[f.statusClass]?.test(line)) return false;
  if (f.clientPrefix !== undefined && !line.includes(`\t${f.clientPrefix}`)) return false;
  if (f.method !== undefined && !line.includes(`\t${f.method} `)) return false;
  if (asciiWords.length === 0) return true;
  const lower = line.toLowerCase();
  return asciiWords.every((w) => lower.includes(w));
}

/** Every word a substring and every token a whole word of `text` (as the text index did). */
function holds(text: string | null, words: readonly string[], tokens: readonly string[]): boolean {
  if (!text) return false;
  const lower = text.toLowerCase();
  if (!words.every((w) => lower.includes(w))) return false;
  const own = wordTokens(lower);
  return tokens.every((t) => own.includes(t));
}

/** Whether a row matches the filter exactly (the block summary only rules blocks out). */
export function rowMatches(
  r: LogRow,
  f: LogFilter,
  words: readonly string[],
  tokens: readonly string[],
): boolean {
  if (f.from !== undefined && r.at < f.from) return false;
  if (f.to !== undefined && r.at >= f.to) return false;
  if (f.status !== undefined && r.status !== f.status) return false;
  if (
    f.statusClass !== undefined &&
    (r.status === null || Math.floor(r.status / 100) !== f.statusClass)
  )
    return false;
  if (f.frontend !== undefined && r.frontend !== f.frontend) return false;
  if (f.backend !== undefined && r.backend !== f.backend) return false;
  if (f.server !== undefined && r.server !== f.server) return false;
  if (f.method !== undefined && r.method !== f.method) return false;
  if (f.parseErrors && r.parseError === null) return false;
  if (f.clientPrefix !== undefined) {
    const p = f.clientPrefix;
    if (r.clientIp === null || (p.endsWith('.') ? !r.clientIp.startsWith(p) : r.clientIp !== p))
      return false;
  }
  if (tokens.length === 0) return true;
  const url =
    r.url ?? (r.uri === null ? null : `${r.tls ? 'https' : 'http'}://${r.host ?? ''}${r.uri}`);
  return holds(url, words, tokens) || holds(r.userAgent, words, tokens);
}
