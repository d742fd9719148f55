import type { IncomingMessage, ServerResponse } from 'node:http';
import { TandemError } from '@tandem/core';
import { toErrorResponse } from './errors.js';
import { lastEventId, openSse, type SseSink } from './sse.js';

export interface RequestContext {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  /** Who asked: the session's user on the console socket; `x-tandem-user` from a local client. */
  author: string;
  /** The bearer token of a console session, if the request carried one. */
  session: string | null;
  /** Where the request came from, as the console reports it (login throttling, audit). */
  source: string;
  /** On the peer listener: the fingerprint of the client's certificate (null: none, or a socket). */
  peer: string | null;
}

/**
 * The console socket's gate (http/consoleGuard.ts): decides from the request alone who is asking
 * and whether they may, throwing `unauthorized` or `forbidden`; then hears about every change
 * that succeeded, for the audit log.
 */
export interface RouterGuard {
  check(
    method: string,
    path: string,
    session: string | null,
    peer: string | null,
  ): { user: string } | null;
  changed(user: string, method: string, path: string, result: unknown, source: string): void;
}

export type Handler = (ctx: RequestContext) => Promise<unknown> | unknown;
/** A live stream: validates the request (throwing before any byte is sent), then feeds the sink. */
export type StreamHandler = (
  ctx: RequestContext & { lastEventId: number | undefined },
) => (sink: SseSink) => void;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  summary: string;
  handler: Handler;
  /** Server-sent events instead of one answer (the handler is then unused). */
  stream?: StreamHandler;
  /** Plain-text responses (rendered config, diffs) instead of JSON. */
  text?: boolean;
  /** A file to save (the handler answers a Download): sent as an attachment. */
  download?: boolean;
}

/** What a download route answers: the file's bytes, type and name. */
export interface Download {
  body: string;
  contentType: string;
  filename: string;
}

const MAX_BODY = 16 * 1024 * 1024;
const AUTHOR_RE = /^[A-Za-z0-9_.@-]{1,64}$/;

/** A path segment's %-escapes decoded; a malformed one is the client's error, named. */
function decodeParam(name: string, value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new TandemError('bad_request', `${name}: not a valid %-escape in the path`, [
      { path: name, message: 'not a valid %-escape in the path' },
    ]);
  }
}

function match(pattern: string, path: string): Record<string, string> | null {
  const a = pattern.split('/');
  const b = path.split('/');
  if (a.length !== b.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < a.length; i++) {
    const p = a[i] ?? '';
    const v = b[i] ?? '';
    if (p.startsWith(':')) params[p.slice(1)] = decodeParam(p.slice(1), v);
    else if (p !== v) return null;
  }
  return params;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new TandemError('bad_request', 'request body too large');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new TandemError('bad_request', 'request body is not valid JSON');
  }
}

export function createRouter(
  routes: readonly Route[],
  log: (m: string) => void,
  guard?: RouterGuard,
  /** The peer listener's: who the TLS client certificate says is asking. */
  peerOf: (req: IncomingMessage) => string | null = () => null,
) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://agent');
    const send = (status: number, body: unknown, text = false) => {
      const payload = text && typeof body === 'string' ? body : `${JSON.stringify(body)}\n`;
      res.writeHead(status, {
        'content-type': text ? 'text/plain; charset=utf-8' : 'application/json',
        // Answered before the body was read (a refusal, a body on a GET or DELETE): the
        // connection ends here, and the client is told, so it does not send its next request
        // on a socket about to close (found by the hardening catalogue's sweep).
        ...(req.complete ? {} : { connection: 'close' }),
      });
      res.end(payload);
    };
    try {
      for (const r of routes) {
        const params = r.method === req.method ? match(r.path, url.pathname) : null;
        if (!params) continue;
        const auth = req.headers.authorization;
        const session =
          typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : null;
        const peer = peerOf(req);
        const who = guard?.check(req.method ?? '', url.pathname, session, peer) ?? null;
        const user = req.headers['x-tandem-user'];
        const author =
          who?.user ?? (typeof user === 'string' && AUTHOR_RE.test(user) ? user : 'local');
        const forwarded = req.headers['x-forwarded-for'];
        const source =
          typeof forwarded === 'string'
            ? forwarded.slice(0, 64)
            : (req.socket.remoteAddress ?? 'local');
        const body = req.method === 'GET' || req.method === 'DELETE' ? {} : await readBody(req);
        const ctx = { params, query: url.searchParams, body, author, session, source, peer };
        if (r.stream) {
          r.stream({ ...ctx, lastEventId: lastEventId(req) })(openSse(req, res));
          return;
        }
        const out = await r.handler(ctx);
        if (who && req.method !== 'GET')
          guard?.changed(who.user, req.method ?? '', url.pathname, out, source);
        if (r.download) {
          const file = out as Download;
          // The name is ours (a fixed pattern of safe characters), never the client's.
          res.writeHead(200, {
            'content-type': file.contentType,
            'content-disposition': `attachment; filename="${file.filename}"`,
          });
          res.end(file.body);
          return;
        }
        send(200, out, r.text);
        return;
      }
      throw new TandemError('not_found', `no route ${req.method ?? ''} ${url.pathname}`);
    } catch (e) {
      const { status, body } = toErrorResponse(e);
      if (status >= 500)
        log(
          `${req.method ?? ''} ${url.pathname} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
        );
      send(status, body);
    }
  };
}
