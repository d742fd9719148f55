import { connect } from 'node:net';
import { TandemError } from '@tandem/core';

/**
 * Sends one command line to an HAProxy CLI socket (master or stats) and returns the answer.
 * Half-closing the connection after the command tells HAProxy to answer and close. A `payload`
 * (a certificate for `set ssl cert`) follows the command as HAProxy's `<<` form: its lines, then
 * an empty line that ends it, so a payload with an empty line of its own is refused (the rest
 * would be read as commands).
 */
export function unixCommand(
  path: string,
  command: string,
  timeoutMs = 15_000,
  payload?: string,
): Promise<string> {
  if (/[\r\n]/.test(command))
    return Promise.reject(new TandemError('bad_request', 'a CLI command is one line'));
  const body = payload?.replace(/\n+$/, '');
  if (body !== undefined && (body === '' || /\r|\n\s*\n/.test(body)))
    return Promise.reject(new TandemError('bad_request', 'a CLI payload has no empty line'));
  return new Promise((resolve, reject) => {
    const sock = connect(path);
    let out = '';
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new TandemError('haproxy_unavailable', `no answer on ${path} within ${timeoutMs} ms`));
    }, timeoutMs);
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => (out += d));
    sock.on('end', () => {
      clearTimeout(timer);
      resolve(out);
    });
    sock.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new TandemError('haproxy_unavailable', `cannot reach ${path}: ${e.code ?? e.message}`),
      );
    });
    sock.end(body === undefined ? `${command}\n` : `${command} <<\n${body}\n\n`);
  });
}
