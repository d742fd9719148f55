import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { isSameOrigin } from './sameOrigin.js';

// __Host-: the browser only accepts it from this exact host over HTTPS, Path=/ and no Domain, so
// a neighbouring host cannot plant or overwrite the session cookie.
const COOKIE = '__Host-tandem_session';
const cookieOf = (req: IncomingMessage): string | null => {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=') || null;
  }
  return null;
};
const sessionCookie = (token: string, maxAge: number) =>
  `${COOKIE}=${token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=${maxAge}`;

const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};

/**
 * /api/... → the agent's console socket (/...). The session lives in an HttpOnly cookie and goes
 * to the agent as a bearer token; the agent checks it and the role (ADR 0011). Sign-in answers
 * carry the token: it goes into the cookie and never reaches page scripts. State-changing calls
 * need a same-origin Origin. Bodies and answers stream through, so server-sent events work.
 */
export function createConsoleProxy(agentSocket: string) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD' && !isSameOrigin(req)) {
      sendJson(res, 403, {
        error: { code: 'forbidden', message: 'cross-origin request refused', fields: [] },
      });
      req.resume();
      return;
    }
    const path = (req.url ?? '/').replace(/^\/api/, '') || '/';
    const token = cookieOf(req);
    const signIn = method === 'POST' && (path === '/v1/auth/login' || path === '/v1/auth/setup');
    const upstream = request(
      {
        socketPath: agentSocket,
        method,
        path,
        headers: {
          ...(req.headers['content-type'] ? { 'content-type': req.headers['content-type'] } : {}),
          ...(req.headers['last-event-id']
            ? { 'last-event-id': req.headers['last-event-id'] }
            : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          'x-forwarded-for': req.socket.remoteAddress ?? 'unknown',
        },
      },
      (up) => {
        const status = up.statusCode ?? 502;
        if (signIn && status === 200) {
          let text = '';
          up.setEncoding('utf8');
          up.on('data', (c: string) => (text += c));
          up.on('end', () => {
            const r = JSON.parse(text) as { token: string; session: { expiresAt: number } };
            res.setHeader('Set-Cookie', sessionCookie(r.token, 12 * 3600));
            sendJson(res, 200, { session: r.session });
          });
          return;
        }
        if (method === 'POST' && path === '/v1/auth/logout')
          res.setHeader('Set-Cookie', sessionCookie('', 0));
        res.writeHead(status, {
          'content-type': up.headers['content-type'] ?? 'application/json',
          'cache-control': 'no-store',
          // A file to save (log export): the browser downloads it instead of showing it.
          ...(up.headers['content-disposition']
            ? { 'content-disposition': up.headers['content-disposition'] }
            : {}),
        });
        up.pipe(res);
      },
    );
    // The browser went away first (a closed tab, a new filter on the Logs page): end the agent's
    // side too, or every live tail would stay open in the agent for as long as it runs.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.on('error', () => {
      if (res.headersSent || res.destroyed) return void res.destroy();
      sendJson(res, 503, {
        error: {
          code: 'agent_unavailable',
          message:
            "the unit's agent is not answering (it may be restarting): try again in a moment",
          fields: [],
        },
      });
    });
    req.pipe(upstream);
  };
}

/**
 * WebSocket upgrades under /api (the terminal): relayed to the agent's console socket with the
 * session as a bearer token, after the caller checked Origin. The agent answers 101 (and the two
 * sockets are joined), or a refusal that goes back to the browser as is.
 */
export function proxyUpgrade(
  agentSocket: string,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
) {
  const token = cookieOf(req);
  const pass = ['sec-websocket-key', 'sec-websocket-version', 'sec-websocket-protocol'] as const;
  const headers: Record<string, string> = { connection: 'Upgrade', upgrade: 'websocket' };
  for (const h of pass) {
    const v = req.headers[h];
    if (typeof v === 'string') headers[h] = v;
  }
  if (token) headers.authorization = `Bearer ${token}`;
  headers['x-forwarded-for'] = req.socket.remoteAddress ?? 'unknown';
  const upstream = request({
    socketPath: agentSocket,
    method: 'GET',
    path: (req.url ?? '/').replace(/^\/api/, ''),
    headers,
  });
  upstream.on('upgrade', (res, upSocket, upHead) => {
    const lines = ['HTTP/1.1 101 Switching Protocols'];
    for (let i = 0; i < res.rawHeaders.length; i += 2)
      lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (upHead.length > 0) socket.write(upHead);
    if (head.length > 0) upSocket.write(head);
    upSocket.pipe(socket).pipe(upSocket);
    const close = () => {
      upSocket.destroy();
      socket.destroy();
    };
    upSocket.on('error', close);
    socket.on('error', close);
  });
  upstream.on('response', (res) => {
    socket.end(
      `HTTP/1.1 ${res.statusCode ?? 502} ${res.statusMessage ?? ''}\r\nConnection: close\r\n\r\n`,
    );
    res.resume();
  });
  upstream.on('error', () => socket.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n'));
  upstream.end();
}
