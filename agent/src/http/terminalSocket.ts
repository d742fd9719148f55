import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { allows, requiredAccess, TandemError } from '@tandem/core';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AuthService } from '../services/auth.js';

/** What a terminal needs from a PTY library (node-pty in the agent, a fake in tests). */
export interface PtyFactory {
  spawn(
    cols: number,
    rows: number,
  ): {
    onData(cb: (data: string) => void): void;
    onExit(cb: (e: { exitCode: number }) => void): void;
    write(data: string): void;
    resize(cols: number, rows: number): void;
    kill(): void;
  };
}

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
      const s = o.auth.check(token);
      if (!allows(s.role, s.sudoUntil !== null, requiredAccess('GET', path)))
        throw new TandemError(
          'forbidden',
          'the terminal needs an admin who re-entered the password',
        );
      user = s.user;
    } catch (e) {
      const code = e instanceof TandemError ? e.code : 'unauthorized';
      return refuse(
        socket,
        code === 'forbidden' ? 403 : 401,
        code === 'forbidden' ? 'Forbidden' : 'Unauthorized',
      );
    }
    wss.handleUpgrade(req, socket, head, (ws) => open(ws, user));
  });

  const open = (ws: WebSocket, user: string) => {
    const started = Date.now();
    const term = o.pty.spawn(80, 24);
    o.auth.audit(user, 'terminal-opened');
    const send = (m: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
    };
    term.onData((data) => send({ type: 'output', data }));
    term.onExit(({ exitCode }) => {
      send({ type: 'exit', code: exitCode });
      ws.close();
    });
    ws.on('message', (raw) => {
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
      term.kill();
      o.auth.audit(user, 'terminal-closed', `after ${Math.round((Date.now() - started) / 1000)} s`);
    });
  };
}
