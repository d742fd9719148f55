import { createServer, type Server } from 'node:http';
import WebSocket, { WebSocketServer } from 'ws';

/**
 * Test and benchmark harness (not used by the agent itself). A real WebSocket echo server (the `ws` package) behind the websocket-site template: answers the
 * upgrade with 101 (which is also the template's check) and echoes every message with its name.
 */
export async function startEchoServer(
  name: string,
): Promise<{ port: number; close: () => Promise<void> }> {
  const http: Server = createServer((_req, res) => res.end(name));
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (ws) => ws.on('message', (m) => ws.send(`${name}: ${String(m)}`)));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const addr = http.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        http.close(() => resolve());
      }),
  };
}

/** A client socket that remembers whether and how it closed. */
export interface OpenSocket {
  ws: WebSocket;
  closed: { code: number } | null;
  echo(text: string): Promise<string>;
}

export function openSocket(url: string): Promise<OpenSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const s: OpenSocket = {
      ws,
      closed: null,
      echo: (text) =>
        new Promise((res, rej) => {
          const timer = setTimeout(() => rej(new Error(`no echo of ${text}`)), 5_000);
          ws.once('message', (m) => {
            clearTimeout(timer);
            res(String(m));
          });
          ws.send(text);
        }),
    };
    ws.once('open', () => resolve(s));
    ws.once('error', reject);
    ws.on('close', (code) => (s.closed = { code }));
  });
}
