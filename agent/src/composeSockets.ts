import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { createPtyFactory } from './adapters/ptyFactory.js';
import type { AgentEnv } from './env.js';
import { createAuthRoutes } from './http/authRoutes.js';
import { createCertificateRoutes } from './http/certificateRoutes.js';
import { consoleGuard } from './http/consoleGuard.js';
import { createRouter, type Route } from './http/router.js';
import { serveSocket } from './http/serveSocket.js';
import { attachTerminal } from './http/terminalSocket.js';
import type { AuthService } from './services/auth.js';
import { createConsoleCertificate } from './services/consoleCertificate.js';
import { createCertificateFiles } from './adapters/certificateFiles.js';
import { createSelfSignedPair } from './adapters/certificates.js';
import { createIssueBanner, noBanner } from './adapters/setupBanner.js';

/**
 * Part of the agent's composition root (main.ts): two sockets, one set of routes. The
 * operator's (tandemctl; the socket's mode is the gate) and the console's, where the agent
 * itself checks every request's session and role, with the terminal's WebSocket on it. The
 * console's group, when given, may use its socket and read its certificate (ADR 0013).
 */
export async function composeSockets(o: {
  env: AgentEnv;
  auth: AuthService;
  routes: Route[];
  consoleGroup: number | null;
  log: (m: string) => void;
}): Promise<{ routes: readonly Route[]; close: () => void }> {
  const { env, log } = o;
  const dir = env.stateDir;
  const auth = o.auth;
  const consoleCert = createConsoleCertificate({
    files: createCertificateFiles(join(dir, 'console'), o.consoleGroup ?? null),
    hostName: hostname(),
    selfSigned: (host) => createSelfSignedPair(host, ['DNS:localhost', 'IP:127.0.0.1'], 3650),
  });
  await consoleCert.ensure();
  const all = [...o.routes, ...createAuthRoutes(auth), ...createCertificateRoutes(consoleCert)];
  const operator: Server = await serveSocket(env.socketPath, createRouter(all, log));
  const console_: Server = await serveSocket(
    env.consoleSocketPath,
    createRouter(all, log, consoleGuard(auth)),
    o.consoleGroup,
  );
  attachTerminal(console_, { auth, pty: createPtyFactory(env.terminalShell, dir), log });
  log(`API on ${env.socketPath}, console API on ${env.consoleSocketPath}; state in ${dir}`);
  const setupToken = auth.newSetupToken();
  const banner = env.setupBanner ? createIssueBanner(env.setupBanner) : noBanner;
  if (setupToken) {
    log(`no console user yet: create the first admin with the one-time setup token ${setupToken}`);
    banner.show(setupToken);
    const stop = auth.onUsersChange(() => {
      if (auth.setupRequired()) return;
      banner.clear();
      stop();
    });
  } else banner.clear();
  return {
    /** Every route served (the operator's, the console's sign-in, users and certificate). */
    routes: all,
    close: () => {
      operator.close();
      console_.close();
    },
  };
}
