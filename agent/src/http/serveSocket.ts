import { chmod, chown, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * Serves HTTP on a unix socket whose mode is part of the security model: owner and group only
 * (the operator socket for tandemctl; the console socket for the console server's user).
 */
export async function serveSocket(
  path: string,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  group: number | null = null,
): Promise<Server> {
  const server = createServer(handler);
  await rm(path, { force: true });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  await chmod(path, 0o660);
  if (group !== null) await chown(path, process.getuid?.() ?? 0, group);
  return server;
}
