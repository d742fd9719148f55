import {
  composeUrl,
  isCompactLog,
  noHttpFields,
  parseCompactLog,
  unescapeLog,
} from './compactLog.js';

/**
 * Parses HAProxy log datagrams (RFC 3164 framing, `option httplog` and `option tcplog`) into typed
 * records. Lines that do not parse are returned with the reason, so the store keeps them raw
 * instead of dropping them. Pure: the agent's ingest loop and tests share it.
 */
export interface LogTimers {
  /** HTTP: Tr (request), Tw (queue), Tc (connect), Tr (response), Ta (total); TCP: Tw, Tc, Tt. -1: not reached. */
  request?: number;
  queue: number;
  connect: number;
  response?: number;
  total: number;
}

export interface LogRecord {
  kind: 'http' | 'tcp';
  /** Syslog facility and severity from the PRI field (null: the line came without its header). */
  facility: number | null;
  severity: number | null;
  pid: number | null;
  clientIp: string;
  clientPort: number;
  /** Accept time as HAProxy printed it (unit local time; the appliance runs in UTC), in epoch ms. */
  acceptedAt: number;
  frontend: string;
  /** The frontend name ended with `~`: the connection came in over TLS. */
  tls: boolean;
  backend: string;
  /** null for `<NOSRV>` (no server was reached). */
  server: string | null;
  timers: LogTimers;
  status: number | null;
  bytesRead: number;
  /** Termination state: 4 characters for HTTP (e.g. `SC--`), 2 for TCP. */
  termination: string;
  /** Retries (Tandem's format keeps only these); the counts are httplog's and tcplog's. */
  connections: {
    active?: number;
    frontend?: number;
    backend?: number;
    server?: number;
    retries: number;
  };
  /** httplog's and tcplog's queue lengths (not in Tandem's format). */
  queues?: { server: number; backend: number };
  capturedRequest: string[];
  capturedResponse: string[];
  method: string | null;
  /** The request target as sent (path and query, or absolute form). */
  uri: string | null;
  httpVersion: string | null;
  /** `<BADREQ>` or an unparseable request line. */
  badRequest: boolean;
  /** The URL as the client sent it, from the TLS flag and the captured Host (seed 002). */
  url: string | null;
  host: string | null;
  userAgent: string | null;
}

/** HAProxy's own notices on the log target: proxies started or stopped, servers UP or DOWN. */
export interface HaproxyMessage {
  facility: number;
  severity: number;
  pid: number | null;
  text: string;
}

export type LogParseResult =
  | { ok: true; record: LogRecord }
  | { ok: true; message: HaproxyMessage }
  | { ok: false; raw: string; error: string };

/** Traffic lines start with the client address and the accept date; anything else is a notice. */
const TRAFFIC_START = /^\S+:\d+ \[/;
const MAX_LINE = 16 * 1024;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const SYSLOG =
  /^<(\d{1,3})>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d (?:[^\s[:]+ )?([^\s[:]+)(?:\[(\d+)\])?: (.*)$/s;
const PREFIX = String.raw`(\S+):(\d+) \[([^\]]+)\] (\S+) (\S+)/(\S+) `;
const CONNS = String.raw`(\d+)/(\d+)/(\d+)/(\d+)/\+?(\d+) (\d+)/(\d+)`;
const HTTP = new RegExp(
  `^${PREFIX}(-?\\d+)/(-?\\d+)/(-?\\d+)/(-?\\d+)/\\+?(-?\\d+) (-?\\d+) \\+?(\\d+) \\S+ \\S+ (\\S{4}) ${CONNS}(?: \\{([^}]*)\\})?(?: \\{([^}]*)\\})? "(.*)"$`,
  's',
);
const TCP = new RegExp(`^${PREFIX}(-?\\d+)/(-?\\d+)/\\+?(-?\\d+) \\+?(\\d+) (\\S{2}) ${CONNS}$`);
const DATE = /^(\d\d)\/([A-Z][a-z]{2})\/(\d{4}):(\d\d):(\d\d):(\d\d)(?:\.(\d{3}))?$/;

function acceptTime(text: string): number | null {
  const m = DATE.exec(text);
  if (!m) return null;
  const month = MONTHS.indexOf(m[2] ?? '');
  if (month < 0) return null;
  return Date.UTC(
    Number(m[3]),
    month,
    Number(m[1]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
    Number(m[7] ?? 0),
  );
}

function captures(block: string | undefined): string[] {
  return block === undefined ? [] : block.split('|').map(unescapeLog);
}

export interface ParseOptions {
  /** Names of the captured request headers, in capture order (Tandem renders Host, User-Agent). */
  requestCaptures?: readonly string[];
}

export function parseHaproxyLog(raw: string, options: ParseOptions = {}): LogParseResult {
  const line = raw.replace(/\r?\n$/, '');
  if (line.length > MAX_LINE) return { ok: false, raw: line, error: 'line longer than 16 KiB' };
  const s = SYSLOG.exec(line);
  if (!s) return { ok: false, raw: line, error: 'not a syslog line' };
  const pri = Number(s[1]);
  const body = s[4] ?? '';
  if (isCompactLog(body)) {
    const c = parseCompactLog(body, {
      facility: pri >> 3,
      severity: pri & 7,
      pid: s[3] ? Number(s[3]) : null,
    });
    return c.ok ? c : { ok: false, raw: line, error: c.error };
  }
  const common = (m: RegExpExecArray) => {
    const acceptedAt = acceptTime(m[3] ?? '');
    const frontendRaw = m[4] ?? '';
    const server = m[6] ?? '';
    return {
      facility: pri >> 3,
      severity: pri & 7,
      pid: s[3] ? Number(s[3]) : null,
      clientIp: m[1] ?? '',
      clientPort: Number(m[2]),
      acceptedAt: acceptedAt ?? NaN,
      frontend: frontendRaw.replace(/~$/, ''),
      tls: frontendRaw.endsWith('~'),
      backend: m[5] ?? '',
      server: server === '<NOSRV>' ? null : server,
    };
  };
  const http = HTTP.exec(body);
  if (http) {
    const base = common(http);
    if (Number.isNaN(base.acceptedAt)) return { ok: false, raw: line, error: 'bad accept date' };
    const n = (i: number) => Number(http[i]);
    const reqCaptures = captures(http[22]);
    const names = (options.requestCaptures ?? ['host', 'user-agent']).map((x) => x.toLowerCase());
    const captured = (name: string) => {
      const i = names.indexOf(name);
      const v = i >= 0 ? reqCaptures[i] : undefined;
      return v === undefined || v === '' ? null : v;
    };
    const requestLine = unescapeLog(http[24] ?? '');
    const rl = /^([A-Z][A-Z0-9_-]*) (\S+)(?: (HTTP\/\d(?:\.\d)?))?$/.exec(requestLine);
    const host = captured('host');
    const uri = rl?.[2] ?? null;
    const url = composeUrl(base.tls, host, uri);
    const status = n(12);
    return {
      ok: true,
      record: {
        kind: 'http',
        ...base,
        timers: { request: n(7), queue: n(8), connect: n(9), response: n(10), total: n(11) },
        status: status < 0 ? null : status,
        bytesRead: n(13),
        termination: http[14] ?? '',
        connections: {
          active: n(15),
          frontend: n(16),
          backend: n(17),
          server: n(18),
          retries: n(19),
        },
        queues: { server: n(20), backend: n(21) },
        capturedRequest: reqCaptures,
        capturedResponse: captures(http[23]),
        method: rl?.[1] ?? null,
        uri,
        httpVersion: rl?.[3] ?? null,
        badRequest: rl === null,
        url,
        host,
        userAgent: captured('user-agent'),
      },
    };
  }
  const tcp = TCP.exec(body);
  if (tcp) {
    const base = common(tcp);
    if (Number.isNaN(base.acceptedAt)) return { ok: false, raw: line, error: 'bad accept date' };
    const n = (i: number) => Number(tcp[i]);
    return {
      ok: true,
      record: {
        kind: 'tcp',
        ...base,
        timers: { queue: n(7), connect: n(8), total: n(9) },
        status: null,
        bytesRead: n(10),
        termination: tcp[11] ?? '',
        connections: {
          active: n(12),
          frontend: n(13),
          backend: n(14),
          server: n(15),
          retries: n(16),
        },
        queues: { server: n(17), backend: n(18) },
        ...noHttpFields(),
      },
    };
  }
  if (!TRAFFIC_START.test(body)) {
    return {
      ok: true,
      message: {
        facility: pri >> 3,
        severity: pri & 7,
        pid: s[3] ? Number(s[3]) : null,
        text: unescapeLog(body),
      },
    };
  }
  return { ok: false, raw: line, error: 'not an HAProxy httplog or tcplog line' };
}
