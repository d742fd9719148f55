#!/usr/bin/env node
/**
 * The console server (composition root): HTTPS with the unit's certificate, a plain-HTTP
 * listener that only redirects, security headers on everything, /api → the agent's console
 * socket, every other path → Next.js. Cross-origin WebSocket upgrades are refused. It runs
 * unprivileged and holds no state of its own besides its certificate.
 */
import { createServer as createHttp } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import nextModule from 'next';
import { createConsoleProxy, proxyUpgrade } from './consoleProxy.js';
import { isSameOrigin } from './sameOrigin.js';
import { applySecurityHeaders } from './securityHeaders.js';
import { readCertificate, watchCertificate } from './tlsCert.js';
import { exitWhenIdle, systemdSockets } from './listeners.js';
import { guardConnections, LIMITS } from './connectionGuard.js';

const env = process.env;
const stateDir = resolve(env.TANDEM_STATE_DIR ?? '.tandem/unit');
const agentSocket = resolve(env.TANDEM_CONSOLE_SOCKET ?? join(stateDir, 'console.sock'));
const port = Number(env.TANDEM_CONSOLE_PORT ?? 8443);
const httpPort = Number(env.TANDEM_CONSOLE_HTTP_PORT ?? 0);
const bind = env.TANDEM_CONSOLE_BIND ?? '0.0.0.0';
const dir = join(dirname(fileURLToPath(import.meta.url)), '..');

// `next` is CommonJS: under Node's ESM loader its default export is module.exports itself.
type CreateNext = typeof nextModule.default;
const createNext = ((nextModule as unknown as { default?: CreateNext }).default ??
  nextModule) as unknown as CreateNext;
const app = createNext({ dev: false, dir });
await app.prepare();
const handle = app.getRequestHandler();
const proxy = createConsoleProxy(agentSocket);
const certDir = join(stateDir, 'console');
const tls = await readCertificate(certDir);

const server = createHttps(
  // Node checks the header and request times every 30 s by default: a slow client then gets twice
  // its time; every 2 s keeps the bound what it says.
  { ...tls, handshakeTimeout: LIMITS.handshakeMs, connectionsCheckingInterval: 2_000 },
  (req, res) => {
    applySecurityHeaders(req, res);
    if ((req.url ?? '').startsWith('/api/')) proxy(req, res);
    else void handle(req, res);
  },
);
guardConnections(server);
server.on('upgrade', (req, socket, head) => {
  // Every WebSocket (the terminal, later live streams) must come from the console's own pages.
  if (!isSameOrigin(req)) socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
  else if (!(req.url ?? '').startsWith('/api/')) socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
  else proxyUpgrade(agentSocket, req, socket, head);
});
// Under systemd socket activation (the appliance) the sockets come ready: HTTPS first, then the
// HTTP redirect; the console then leaves after a while with nobody using it.
const [httpsFd, httpFd] = systemdSockets(env);
await new Promise<void>((r) =>
  httpsFd === undefined ? server.listen(port, bind, r) : server.listen({ fd: httpsFd }, r),
);
// An uploaded certificate takes effect for new connections without a restart.
watchCertificate(certDir, (pair) => {
  server.setSecureContext(pair);
  console.log('console: certificate reloaded');
});
const redirect =
  httpPort > 0 || httpFd !== undefined
    ? createHttp((req, res) => {
        const host = (req.headers.host ?? 'localhost').replace(/:\d+$/, '');
        res.writeHead(301, {
          location: `https://${host}${port === 443 ? '' : `:${port}`}${req.url ?? '/'}`,
        });
        res.end();
      })
    : null;
if (redirect) {
  guardConnections(redirect);
  if (httpFd !== undefined) redirect.listen({ fd: httpFd });
  else redirect.listen(httpPort, bind);
}
const idleSeconds = Number(env.TANDEM_CONSOLE_IDLE_EXIT_S ?? 0);
if (httpsFd !== undefined && idleSeconds > 0)
  exitWhenIdle([server, ...(redirect ? [redirect] : [])], idleSeconds * 1000, () => {
    console.log(`console: idle for ${idleSeconds} s, leaving (systemd starts it again on demand)`);
    process.exit(0);
  });
console.log(
  `console: https://${bind === '0.0.0.0' ? hostname() : bind}:${port}/ (agent ${agentSocket})`,
);
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
