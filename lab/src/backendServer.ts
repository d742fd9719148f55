/**
 * A lab backend: answers every request with its own name (X-Served-By) and the address of the
 * unit that proxied it (X-Via), so the client can tell which unit served each request.
 * Usage (inside a backend namespace): node backendServer.js NAME PORT
 */
import { createServer } from 'node:http';

const [name = 'backend', port = '8080'] = process.argv.slice(2);
createServer((req, res) => {
  req.resume();
  // x-via: the proxy's address as the backend sees it, i.e. which unit carried the request.
  res.writeHead(200, {
    'content-type': 'text/plain',
    'x-served-by': name,
    'x-via': req.socket.remoteAddress ?? '',
    connection: 'close',
  });
  res.end(`${name}\n`);
}).listen(Number(port), '0.0.0.0');
