import { createServer as createTcp, type Server as TcpServer, type Socket } from 'node:net';
import { createServer as createTls, type Server as TlsServer } from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTestChain, type TestChain } from '../testing/testCertificates.js';
import { createPeerClient } from './peerTransport.js';

/**
 * A peer that misbehaves at the transport (issue 20): one that accepts the connection and never
 * says a word, and one that answers a byte at a time, forever. Each call ends with a clear
 * peer_unavailable instead of hanging the sync that made it.
 */
let chain: TestChain;
const servers: (TcpServer | TlsServer)[] = [];
const sockets: Socket[] = [];
beforeAll(async () => {
  chain = await makeTestChain(['peer.test']);
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

const listen = async (s: TcpServer | TlsServer) => {
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const a = s.address();
  return typeof a === 'object' && a ? a.port : 0;
};

/** The peer's head, asked of 127.0.0.1:port with a 300 ms idle bound. */
const headFrom = (port: number) =>
  createPeerClient({ cert: chain.leaf, key: chain.leafKey }).request(
    { address: '127.0.0.1', port, pin: null },
    'GET',
    '/v1/peer/head',
    undefined,
    300,
  );

describe('the peer client against a peer that does not answer', () => {
  it('gives up on a peer that accepts and never speaks, saying so', async () => {
    const port = await listen(createTcp((s) => sockets.push(s)));
    await expect(headFrom(port)).rejects.toMatchObject({
      code: 'peer_unavailable',
      message: `the unit at 127.0.0.1:${port} did not answer in time`,
    });
  });

  it('gives up on a peer that answers a byte at a time, forever', async () => {
    const port = await listen(
      createTls(
        { cert: chain.leaf + chain.intermediate, key: chain.leafKey, minVersion: 'TLSv1.3' },
        (s) => {
          sockets.push(s);
          s.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n');
          const t = setInterval(() => (s.writable ? s.write(' ') : clearInterval(t)), 50);
          s.on('close', () => clearInterval(t));
        },
      ),
    );
    await expect(headFrom(port)).rejects.toMatchObject({
      code: 'peer_unavailable',
      message: `the unit at 127.0.0.1:${port} did not finish answering within 1.8 s`,
    });
  });
});
