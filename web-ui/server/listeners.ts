import type { Server } from 'node:net';

/** The first file descriptor systemd passes (sd_listen_fds(3)). */
const FIRST_FD = 3;

/**
 * The sockets systemd passed for socket activation, in the order of the socket unit's
 * ListenStream= lines; empty when not activated (or when the variables are for another process).
 */
export function systemdSockets(env: NodeJS.ProcessEnv, pid = process.pid): number[] {
  if (env.LISTEN_PID !== String(pid)) return [];
  const n = Number(env.LISTEN_FDS);
  if (!Number.isInteger(n) || n <= 0 || n > 16) return [];
  return Array.from({ length: n }, (_, i) => FIRST_FD + i);
}

/**
 * Ends the process once the servers have had no connection open and no new one for `idleMs`:
 * under socket activation systemd keeps listening and starts it again on the next connection,
 * so an appliance nobody is administering does not keep the console in memory.
 */
export function exitWhenIdle(
  servers: readonly Server[],
  idleMs: number,
  exit: () => void,
  now: () => number = Date.now,
): () => void {
  let open = 0;
  let last = now();
  for (const s of servers)
    s.on('connection', (socket) => {
      open++;
      last = now();
      socket.once('close', () => {
        open--;
        last = now();
      });
    });
  const timer = setInterval(
    () => {
      if (open === 0 && now() - last >= idleMs) exit();
    },
    Math.min(idleMs, 10_000),
  );
  timer.unref();
  return () => clearInterval(timer);
}
