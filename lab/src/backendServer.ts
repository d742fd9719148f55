/**
 * A lab backend: answers every request with its own name (so a client sees which backend and,
 * through the X-Served-By header HAProxy does not touch, that the request really went through).
 * Usage (inside a backend namespace): node backendServer.js NAME PORT
 */
import { createServer } from 'node:http';

const [name = 'backend', port = '8080'] = process.argv.slice(2);
createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'text/plain', 'x-served-by': name, connection: 'close' });
  res.end(`${name}\n`);
}).listen(Number(port), '0.0.0.0');
