import { generateKeyPairSync } from 'node:crypto';
import { request } from 'node:https';
import { connect } from 'node:tls';
import { createSelfSignedPair } from '@tandem/agent/adapters/certificates';

/**
 * What the end-to-end tests send below the browser: raw HTTPS requests and WebSocket upgrades as
 * another site's page (or a script) would send them, and a look at the certificate served.
 */
export function raw(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
  /** The loopback address to send from (another client, as the console sees it). */
  localAddress?: string,
) {
  return new Promise<{ status: number; headers: Record<string, unknown>; text: string }>(
    (resolve, reject) => {
      const req = request(
        `${base}${path}`,
        { method, headers, rejectUnauthorized: false, localAddress, agent: false },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    },
  );
}

/** A WebSocket upgrade to the terminal; resolves with the answer's status line. */
export function upgrade(base: string, origin: string, cookie = '') {
  return new Promise<string>((resolve, reject) => {
    const url = new URL(base);
    const s = connect(
      { host: url.hostname, port: Number(url.port), rejectUnauthorized: false },
      () =>
        s.write(
          `GET /api/v1/terminal HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: ${origin}\r\n${cookie ? `Cookie: ${cookie}\r\n` : ''}\r\n`,
        ),
    );
    let text = '';
    s.on('data', (d: Buffer) => (text += d.toString()));
    s.on('end', () => resolve(text.split('\r\n')[0] ?? ''));
    s.on('error', reject);
  });
}

/** The common name of the certificate the console serves to a new connection. */
export function servedCommonName(base: string) {
  const url = new URL(base);
  return new Promise<string>((resolve, reject) => {
    const s = connect(
      { host: url.hostname, port: Number(url.port), rejectUnauthorized: false },
      () => {
        resolve(String(s.getPeerCertificate().subject.CN));
        s.end();
      },
    );
    s.on('error', reject);
  });
}

/** A fresh self-signed pair, as a user's own certificate would come. */
export async function certificatePair(cn: string) {
  const p = await createSelfSignedPair(cn, [], 30);
  return { certificate: p.cert, key: p.key };
}

/** A fresh Ed25519 public key as one line of a .pub file (what an admin pastes). */
export function sshPublicKey(comment: string): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw32 = Buffer.from(String(publicKey.export({ format: 'jwk' }).x), 'base64url');
  const sshString = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  const blob = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(raw32)]);
  return `ssh-ed25519 ${blob.toString('base64')} ${comment}`;
}
