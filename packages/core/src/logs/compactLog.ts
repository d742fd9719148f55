import type { LogRecord } from './parseHaproxyLog.js';

/**
 * Tandem's own log format (ADR 0017): HAProxy writes each request as tab-separated fields in a
 * fixed order, so the agent reads a line with one split instead of regular expressions, and the
 * log store keeps the line as it came (no syslog header, no fields nobody reads). A tab cannot
 * occur inside a field: HAProxy escapes control characters as `#XX` in captures (`%hr`) and the
 * request line (`%r`), and every other field is a number, an address or a name from our grammar.
 *
 * The first field names the layout and its version; a reader that meets another first field
 * treats the line as foreign (HAProxy's own notices, a worker still on an older format).
 */
export const HTTP_LOG_TAG = 'h1';
export const TCP_LOG_TAG = 't1';

/** Which request headers a service captures, in capture order (Host first when both). */
export interface LogCaptures {
  host: boolean;
  userAgent: boolean;
}

/** The capture layout written into each line, so a line says what its `%hr` holds. */
const captureLayout = (c: LogCaptures) => (c.host ? 'h' : '') + (c.userAgent ? 'u' : '') || '-';

/**
 * The `log-format` of a logged service. `%Ts%ms` is the accept time in epoch milliseconds
 * (`%ms` is zero-padded to three digits), `%rc` carries HAProxy's `+` when it redispatched.
 */
export function compactLogFormat(mode: 'http' | 'tcp', captures: LogCaptures): string {
  const common = ['%ci', '%cp', '%Ts%ms', '%ft', '%b', '%s'];
  if (mode === 'tcp')
    return [TCP_LOG_TAG, ...common, '%Tw', '%Tc', '%Tt', '%B', '%ts', '%rc'].join('\t');
  const layout = captureLayout(captures);
  return [
    HTTP_LOG_TAG,
    ...common,
    '%TR',
    '%Tw',
    '%Tc',
    '%Tr',
    '%Ta',
    '%ST',
    '%B',
    '%tsc',
    '%rc',
    layout,
    layout === '-' ? '' : '%hr',
    '%r',
  ].join('\t');
}

/** True when a line body is in Tandem's format (the cheap test the ingest makes per line). */
export function isCompactLog(body: string): boolean {
  return (
    body.charCodeAt(2) === 9 &&
    body.charCodeAt(1) === 49 &&
    (body.charCodeAt(0) === 104 || body.charCodeAt(0) === 116)
  );
}

/**
 * HAProxy writes non-printable and delimiter characters in logs as `#XX`, byte by byte: a run of
 * them is decoded as UTF-8 (`#C3#A9` is é), since that is what clients send; bytes that are not
 * UTF-8 stay one character each.
 */
export function unescapeLog(s: string): string {
  if (!s.includes('#')) return s;
  return s.replace(/(?:#[0-9A-Fa-f]{2})+/g, (run: string) => {
    try {
      return decodeURIComponent(run.replaceAll('#', '%'));
    } catch {
      return run.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) =>
        String.fromCharCode(parseInt(hex, 16)),
      );
    }
  });
}

/**
 * The URL as the client asked for it: an absolute request target as is, else scheme (from the
 * frontend's TLS) + captured Host + path. The log store keeps only the parts and composes it again.
 */
export function composeUrl(tls: boolean, host: string | null, uri: string | null): string | null {
  if (uri === null) return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) return uri;
  return host && uri.startsWith('/') ? `${tls ? 'https' : 'http'}://${host}${uri}` : null;
}

const METHOD = /^[A-Z][A-Z0-9_-]*$/;
const VERSION = /^HTTP\/\d(?:\.\d)?$/;

/**
 * The request line `%r`: method, target and version (each unescaped), or null for `<BADREQ>`
 * and anything else that is not a request line.
 */
export function splitRequestLine(
  text: string,
): { method: string; uri: string; version: string | null } | null {
  const sp = text.indexOf(' ');
  if (sp <= 0 || !METHOD.test(text.slice(0, sp))) return null;
  const last = text.lastIndexOf(' ');
  const version = last > sp && VERSION.test(text.slice(last + 1)) ? text.slice(last + 1) : null;
  const target = text.slice(sp + 1, version === null ? text.length : last);
  if (target === '' || target.includes(' ')) return null;
  return { method: text.slice(0, sp), uri: unescapeLog(target), version };
}

/** `%hr` as written: `{host|agent}`, each value escaped. */
function readCaptures(layout: string, block: string): { host: string | null; ua: string | null } {
  if (layout === '-' || block.length < 2) return { host: null, ua: null };
  const values = block.slice(1, -1).split('|');
  const at = (c: string) => {
    const i = layout.indexOf(c);
    const v = i >= 0 ? values[i] : undefined;
    return v === undefined || v === '' ? null : unescapeLog(v);
  };
  return { host: at('h'), ua: at('u') };
}

/** What a TCP record has in place of the HTTP request's fields (fresh arrays each time). */
export function noHttpFields() {
  return {
    capturedRequest: [] as string[],
    capturedResponse: [] as string[],
    method: null,
    uri: null,
    httpVersion: null,
    badRequest: false,
    url: null,
    host: null,
    userAgent: null,
  };
}

const num = (s: string | undefined) => (s === undefined || s === '' ? NaN : Number(s));

/** Parses a line body in Tandem's format; the syslog header's parts come from the caller. */
export function parseCompactLog(
  body: string,
  header: { facility: number | null; severity: number | null; pid: number | null } = {
    facility: null,
    severity: null,
    pid: null,
  },
): { ok: true; record: LogRecord } | { ok: false; error: string } {
  const f = body.split('\t');
  const http = f[0] === HTTP_LOG_TAG;
  if (f.length !== (http ? 19 : 13)) return { ok: false, error: 'wrong field count' };
  const acceptedAt = num(f[3]);
  if (!Number.isFinite(acceptedAt)) return { ok: false, error: 'bad accept time' };
  const frontend = f[4] ?? '';
  const tls = frontend.endsWith('~');
  const server = f[6] ?? '';
  const base = {
    ...header,
    clientIp: f[1] ?? '',
    clientPort: num(f[2]),
    acceptedAt,
    frontend: tls ? frontend.slice(0, -1) : frontend,
    tls,
    backend: f[5] ?? '',
    server: server === '<NOSRV>' ? null : server,
  };
  if (!http) {
    return {
      ok: true,
      record: {
        kind: 'tcp',
        ...base,
        timers: { queue: num(f[7]), connect: num(f[8]), total: num(f[9]) },
        status: null,
        bytesRead: num(f[10]),
        termination: f[11] ?? '',
        connections: { retries: num(f[12]) },
        ...noHttpFields(),
      },
    };
  }
  const { host, ua } = readCaptures(f[16] ?? '-', f[17] ?? '');
  const rl = splitRequestLine(f[18] ?? '');
  const uri = rl?.uri ?? null;
  const status = num(f[12]);
  return {
    ok: true,
    record: {
      kind: 'http',
      ...base,
      timers: {
        request: num(f[7]),
        queue: num(f[8]),
        connect: num(f[9]),
        response: num(f[10]),
        total: num(f[11]),
      },
      status: status < 0 || Number.isNaN(status) ? null : status,
      bytesRead: num(f[13]),
      termination: f[14] ?? '',
      connections: { retries: num(f[15]) },
      capturedRequest: [host, ua].filter((v): v is string => v !== null),
      capturedResponse: [],
      method: rl?.method ?? null,
      uri,
      httpVersion: rl?.version ?? null,
      badRequest: rl === null,
      url: composeUrl(tls, host, uri),
      host,
      userAgent: ua,
    },
  };
}
