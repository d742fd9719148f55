import { execFile } from 'node:child_process';

/**
 * Ends this unit's TIME_WAIT sockets on a VIP it has just taken (`ss -K`, the kernel's
 * sock_diag; the agent has CAP_NET_ADMIN for it). A unit that held the VIP less than a minute ago
 * still has TIME_WAIT sockets on it. A client that reuses one of those ports for a connection the
 * peer accepted, and whose next packets arrive here after the gratuitous ARP, gets the TIME_WAIT
 * socket's bare ACK instead of a reset, and waits on a connection nobody serves until it gives up
 * (the soak: 408s and timeouts at a handover back within 60 s). With the socket gone the kernel
 * answers with a reset and the client tries again at once. Best effort: a kernel without
 * CONFIG_INET_DIAG_DESTROY keeps them, as before.
 */
export const timeWaitSockets = {
  drop: (address: string) =>
    new Promise<void>((resolve) =>
      execFile(
        'ss',
        ['-K', '-t', 'state', 'time-wait', 'src', address.includes(':') ? `[${address}]` : address],
        { timeout: 5_000 },
        () => resolve(),
      ),
    ),
};
