import { createServer, type Server, type Socket } from 'node:net';

/**
 * A reader that takes HAProxy's forwarded log ring and discards it, pacing its reads the way the
 * agent does (ADR 0017: a pause after a read that emptied the socket). With it in the agent's
 * place, a benchmark measures what logging costs HAProxy and the transport alone.
 */
export async function startLogSink(
  port: number,
  paceMs = 10,
): Promise<{ lines: () => number; stop: () => Promise<void> }> {
  let lines = 0;
  const open = new Set<Socket>();
  const server: Server = createServer((sock) => {
    open.add(sock);
    sock.on('data', (d: Buffer) => {
      for (let at = d.indexOf(10); at >= 0; at = d.indexOf(10, at + 1)) lines++;
      if (d.length >= 60 * 1024) return;
      sock.pause();
      setTimeout(() => sock.resume(), paceMs);
    });
    sock.on('error', () => undefined);
    sock.on('close', () => open.delete(sock));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    lines: () => lines,
    stop: async () => {
      for (const s of open) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
