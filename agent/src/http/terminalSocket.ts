import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { allows, requiredAccess, TandemError } from '@tandem/core';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AuthService } from '../services/auth.js';
import type { PtyFactory } from '../adapters/ptyFactory.js';

export type { PtyFactory };

/** How often an idle terminal's session is checked again (input is checked at once). */
const RECHECK_MS = 5_000;

const refuse = (socket: Duplex, status: number, text: string) => {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
};

/**
 * The browser terminal, on the console socket only: a WebSocket at /v1/terminal for an admin in
 * sudo mode (password re-entered within 10 minutes), checked here by the agent like every other
 * console request. One PTY per connection, closed with it. Messages are JSON both ways:
 * `{type:"input",data}` and `{type:"resize",cols,rows}` in, `{type:"output",data}` and
 * `{type:"exit",code}` out. Opening and closing are audited.
 */
export function attachTerminal(
  server: Server,
  o: { auth: AuthService; pty: PtyFactory; log: (m: string) => void },
) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://agent').pathname;
    if (path !== '/v1/terminal') return refuse(socket, 404, 'Not Found');
    const auth = req.headers.authorization;
    const token = typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : null;
    let user: string;
    try {
      user = permitted(token);
    } catch (e) {
      const code = e instanceof TandemError ? e.code : 'unauthorized';
      return refuse(
        socket,
        code === 'forbidden' ? 403 : 401,
        code === 'forbidden' ? 'Forbidden' : 'Unauthorized',
      );
    }
    // Where the browser is, as the console server saw it (the audit page's "from").
    const forwarded = req.headers['x-forwarded-for'];
    const source = typeof forwarded === 'string' ? forwarded.slice(0, 64) : '';
    wss.handleUpgrade(req, socket, head, (ws) => open(ws, user, token, source));
  });

  /** The user behind a token that may hold a root shell now; throws otherwise. */
  const permitted = (token: string | null): string => {
    const s = o.auth.check(token);
    if (!allows(s.role, s.sudoUntil !== null, requiredAccess('GET', '/v1/terminal')))
      throw new TandemError('forbidden', 'the terminal needs an admin who re-entered the password');
    return s.user;
  };

  const open = (ws: WebSocket, user: string, token: string | null, source: string) => {
    const started = Date.now();
    const term = o.pty.spawn(80, 24);
    o.auth.audit(user, 'terminal-opened', '', source);
    const send = (m: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
    };
    /**
     * The permission is the session's, not the upgrade's: a sign-out, a role change, a password
     * reset or the end of the sudo window closes the shell, checked before every input and on a
     * timer for a shell that only prints.
     */
    let ended = false;
    const stillPermitted = (): boolean => {
      if (ended) return false;
      try {
        permitted(token);
        return true;
      } catch (e) {
        ended = true;
        const reason = e instanceof Error ? e.message : 'the session ended';
        send({ type: 'exit', code: null, reason });
        o.auth.audit(user, 'terminal-ended', reason, source);
        ws.close(4401, 'session ended');
        term.kill();
        return false;
      }
    };
    const recheck = setInterval(stillPermitted, RECHECK_MS);
    recheck.unref();
    // A frame over maxPayload (a huge paste) makes ws emit 'error' before closing with 1009:
    // unhandled, that error would end the agent. The shell goes with the connection.
    ws.on('error', (e) => o.log(`terminal of ${user}: ${e.message}`));
    term.onData((data) => send({ type: 'output', data }));
    term.onExit(({ exitCode }) => {
      send({ type: 'exit', code: exitCode });
      ws.close();
    });
    ws.on('message', (raw) => {
      if (!stillPermitted()) return;
      try {
        const m = JSON.parse(String(raw)) as {
          type?: string;
          data?: unknown;
          cols?: unknown;
          rows?: unknown;
        };
        if (m.type === 'input' && typeof m.data === 'string') term.write(m.data);
        else if (m.type === 'resize' && Number.isInteger(m.cols) && Number.isInteger(m.rows))
          term.resize(
            Math.min(500, Math.max(2, Number(m.cols))),
            Math.min(200, Math.max(2, Number(m.rows))),
          );
      } catch {
        // Not ours: ignore it rather than drop the session.
      }
    });
    ws.on('close', () => {
      clearInterval(recheck);
      term.kill();
      o.auth.audit(
        user,
        'terminal-closed',
        `after ${Math.round((Date.now() - started) / 1000)} s`,
        source,
      );
    });
  };
}
