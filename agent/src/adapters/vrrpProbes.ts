import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';

/** One TCP connect to address:port; true when it was accepted within `timeoutMs`. */
export function tcpAccepts(address: string, port: number, timeoutMs = 200): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: address, port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/**
 * Duplicate address detection for a VIP this unit holds (`arping -D`, RFC 5227 probe from
 * 0.0.0.0): any reply means another host answers for the address too, which for a VIP means the
 * peer also claims master (split brain). Returns null when arping cannot run.
 */
export function vipAnsweredElsewhere(iface: string, address: string): Promise<boolean | null> {
  return new Promise((resolve) => {
    execFile(
      'arping',
      ['-D', '-q', '-c', '2', '-w', '1', '-I', iface, '--', address],
      { timeout: 3000 },
      (e) => {
        if (!e) return resolve(false);
        const code = (e as { code?: unknown }).code;
        resolve(code === 1 ? true : null);
      },
    );
  });
}

/** Whether an address is configured on any interface of this unit (its network namespace). */
export function holdsAddress(address: string): boolean {
  return Object.values(networkInterfaces()).some((list) =>
    (list ?? []).some((a) => a.address === address),
  );
}
