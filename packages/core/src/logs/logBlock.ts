import { createBloom } from './bloom.js';
import { isCompactLog, unescapeLog } from './compactLog.js';
import { parseStoredLine } from './storedLogLine.js';

/**
 * A log block (ADR 0017): consecutive stored lines kept as one text, with what a query needs to
 * skip it unread: the time span, the distinct values of each filter field, and a Bloom filter of
 * the words in URLs, hosts and user agents and of the client addresses. Building one costs a
 * split per line; nothing is indexed per line.
 */
export interface LogBlockSummary {
  /** Distinct values seen; null when there were more than MAX_DISTINCT (the field cannot skip). */
  status: number[] | null;
  frontend: string[] | null;
  backend: string[] | null;
  server: string[] | null;
  method: string[] | null;
  /** Lines that did not parse. */
  errors: number;
}

export interface LogBlock {
  n: number;
  atMin: number;
  atMax: number;
  summary: LogBlockSummary;
  bloom: Uint8Array;
  /**
   * Per line, each field's place in its summary list (NO_CODE: none), one run of `n` bytes per
   * field in CODED_FIELDS order: a query asking for two values that each appear in a block but
   * never on one line skips it unread (ADR 0017).
   */
  codes: Uint8Array;
}

const MAX_DISTINCT = 64;
/** A line's code for a field it has no value for, or whose list ran past MAX_DISTINCT. */
export const NO_CODE = 255;
/** The fields coded per line, in the order of their runs in `codes`. */
export const CODED_FIELDS = ['status', 'frontend', 'backend', 'server', 'method'] as const;
export type CodedField = (typeof CODED_FIELDS)[number];
/** Client keys share the filter with words; this prefix keeps them apart. */
export const CLIENT_KEY = '\u0001';

class Distinct<T> {
  /** Each value with its place in the list: the code its lines get. */
  private readonly seen = new Map<T, number>();
  private last: T | null = null;
  private lastCode = NO_CODE;
  private over = false;
  /** Adds a line's value; answers its code (NO_CODE: no value, or past MAX_DISTINCT). */
  add(v: T | null): number {
    // Consecutive lines mostly share their frontend, backend and method: one comparison.
    if (v === null || this.over) return NO_CODE;
    if (v === this.last) return this.lastCode;
    this.last = v;
    let code = this.seen.get(v);
    if (code === undefined) {
      if (this.seen.size >= MAX_DISTINCT) {
        this.over = true;
        return NO_CODE;
      }
      code = this.seen.size;
      this.seen.set(v, code);
    }
    this.lastCode = code;
    return code;
  }
  /** `line.slice(start, end)`, sliced only when it differs from the last value. */
  addRange(line: string, start: number, end: number): number {
    const last = this.last as string | null;
    if (last !== null && !this.over && last.length === end - start && line.startsWith(last, start))
      return this.lastCode;
    return this.add(line.slice(start, end) as T);
  }
  list(): T[] | null {
    return this.over ? null : [...this.seen.keys()];
  }
}

/** Texts that repeat (hosts, user agents): each distinct one is put in the filter once. */
class Once {
  private readonly seen = new Set<string>();
  /** The first few distinct texts, compared in place: no slice for a text seen before. */
  private readonly recent: string[] = [];
  constructor(private readonly put: (text: string) => void) {}
  addRange(line: string, start: number, end: number): void {
    if (end <= start) return;
    const length = end - start;
    for (const r of this.recent) if (r.length === length && line.startsWith(r, start)) return;
    const text = line.slice(start, end);
    if (this.seen.has(text)) return;
    this.seen.add(text);
    if (this.recent.length < 16) this.recent.push(text);
    this.put(text);
  }
}

/** Tab positions of a line (reused between lines): the fields are read by position. */
const TABS = new Int32Array(32);
function findTabs(line: string): number {
  let n = 0;
  for (let i = line.indexOf('\t'); i >= 0 && n < TABS.length; i = line.indexOf('\t', i + 1))
    TABS[n++] = i;
  return n;
}
const fieldStart = (k: number) => (k === 0 ? 0 : (TABS[k - 1] ?? 0) + 1);
const fieldEnd = (k: number, tabs: number, line: string) =>
  k < tabs ? (TABS[k] ?? line.length) : line.length;

/** Builds a block from stored lines; `fallbackAt` dates lines that carry no time. */
export function buildLogBlock(lines: readonly string[], fallbackAt: number): LogBlock {
  const status = new Distinct<number>();
  const frontend = new Distinct<string>();
  const backend = new Distinct<string>();
  const server = new Distinct<string>();
  const method = new Distinct<string>();
  const bloom = createBloom(lines.length);
  const n = lines.length;
  const codes = new Uint8Array(CODED_FIELDS.length * n).fill(NO_CODE);
  /** Field runs in `codes`: status, frontend, backend, server, method (CODED_FIELDS). */
  const [ST, FE, BE, SV, ME] = [0, n, 2 * n, 3 * n, 4 * n];
  const words = (text: string) => bloom.addWords(unescapeLog(text));
  const repeated = new Once(words);
  let errors = 0;
  let atMin = Infinity;
  let atMax = -Infinity;
  const time = (at: number) => {
    if (at < atMin) atMin = at;
    if (at > atMax) atMax = at;
  };
  for (let i = 0; i < n; i++) {
    const line = lines[i] ?? '';
    // Tandem's format, read by position without splitting: the indexer's cost is this loop.
    if (isCompactLog(line)) {
      const tabs = findTabs(line);
      const http = line.charCodeAt(0) === 104;
      const at = Number(line.slice(fieldStart(3), fieldEnd(3, tabs, line)));
      if (tabs !== (http ? 18 : 12) || !Number.isFinite(at)) {
        errors++;
        time(fallbackAt);
        continue;
      }
      time(at);
      const f = (k: number): [number, number] => [fieldStart(k), fieldEnd(k, tabs, line)];
      const [feS, feE] = f(4);
      codes[FE + i] = frontend.addRange(
        line,
        feS,
        line.charCodeAt(feE - 1) === 126 ? feE - 1 : feE,
      );
      codes[BE + i] = backend.addRange(line, ...f(5));
      codes[SV + i] = server.addRange(line, ...f(6));
      bloom.addPrefixes(CLIENT_KEY, line, ...f(1));
      if (!http) continue;
      const [stS, stE] = f(12);
      const st = Number(line.slice(stS, stE));
      if (st >= 0) codes[ST + i] = status.add(st);
      const [rqS, rqE] = f(18);
      const sp = line.indexOf(' ', rqS);
      if (sp > rqS && sp < rqE) {
        codes[ME + i] = method.addRange(line, rqS, sp);
        // The target and version; a word the filter gains from the version costs nothing.
        const hash = line.indexOf('#', sp);
        if (hash >= 0 && hash < rqE) words(line.slice(sp + 1, rqE));
        else bloom.addWords(line, sp + 1, rqE);
      }
      const [lyS, lyE] = f(16);
      const [cpS, cpE] = f(17);
      if (line.charCodeAt(lyS) !== 45 && cpE - cpS >= 2) {
        // `{a|b}`: each capture up to the next `|` (escaped inside values, so a delimiter).
        let from = cpS + 1;
        for (let c = lyS; c < lyE; c++) {
          const bar = line.indexOf('|', from);
          const to = bar < 0 || bar > cpE - 1 ? cpE - 1 : bar;
          repeated.addRange(line, from, to);
          from = to + 1;
        }
      }
      continue;
    }
    const { result, receivedAt } = parseStoredLine(line);
    if (!result.ok) {
      errors++;
      time(receivedAt ?? fallbackAt);
      continue;
    }
    if ('message' in result) {
      time(receivedAt ?? fallbackAt);
      continue;
    }
    const r = result.record;
    time(Number.isFinite(r.acceptedAt) ? r.acceptedAt : (receivedAt ?? fallbackAt));
    codes[FE + i] = frontend.add(r.frontend);
    codes[BE + i] = backend.add(r.backend);
    codes[SV + i] = server.add(r.server ?? '<NOSRV>');
    codes[ST + i] = status.add(r.status);
    codes[ME + i] = method.add(r.method);
    bloom.addPrefixes(CLIENT_KEY, r.clientIp);
    for (const t of [r.host, r.uri, r.userAgent]) if (t) bloom.addWords(t);
  }
  return {
    n: lines.length,
    atMin: lines.length ? atMin : fallbackAt,
    atMax: lines.length ? atMax : fallbackAt,
    summary: {
      status: status.list(),
      frontend: frontend.list(),
      backend: backend.list(),
      server: server.list(),
      method: method.list(),
      errors,
    },
    bloom: bloom.bits,
    codes,
  };
}
