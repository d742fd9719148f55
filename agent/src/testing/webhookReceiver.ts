import { createServer } from 'node:http';
import { freeTcpPort } from './agentProcess.js';

/**
 * A webhook receiver for tests: an HTTP server on loopback that keeps every JSON body it is sent
 * (in `got`, in order) and answers 200.
 */
export async function startWebhookReceiver() {
  const got: unknown[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      got.push(JSON.parse(body));
      res.end('ok');
    });
  });
  const port = await freeTcpPort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${port}/hook`,
    got,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
