import { normalizePairingCode, PAIRING_CODE_ALPHABET, PairRequest } from '@tandem/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFakePeerNetwork } from '../testing/fakePeerNetwork.js';
import { fakeUnit, PEER_PORT, testIdentity, type TestIdentity } from '../testing/fakeUnitPair.js';
import { CODE_TTL_MS, MAX_FAILURES } from './pairing.js';
import { pairingProof, scryptKey } from './pairingProof.js';

let ids: TestIdentity[] = [];
beforeAll(async () => {
  ids = await Promise.all([testIdentity(), testIdentity(), testIdentity()]);
});

const A = '198.18.0.1';
const B = '198.18.0.2';
function world() {
  const net = createFakePeerNetwork();
  const a = fakeUnit(net, 'unit-a', A, ids[0]!);
  const b = fakeUnit(net, 'unit-b', B, ids[1]!);
  return { net, a, b };
}
const ask = (code: string, address = B) => PairRequest.parse({ address, code });
/** A code that is not the shown one: every symbol moved one place along the alphabet. */
const wrongCode = (code: string) =>
  code.replace(
    /[0-9A-Z]/g,
    (c) => PAIRING_CODE_ALPHABET[(PAIRING_CODE_ALPHABET.indexOf(c) + 1) % 32] ?? c,
  );

describe('pairing', () => {
  it('pairs with the right code: each unit pins the certificate the other holds', async () => {
    const { a, b } = world();
    const { code } = b.pairing.issueCode('admin');
    expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    const record = await a.pairing.pair(ask(code.toLowerCase()), 'admin');
    expect(record).toMatchObject({
      unit: 'unit-b',
      address: B,
      fingerprint: ids[1]!.fingerprint,
      awaitingLog: false,
    });
    expect(b.store.pairing()).toMatchObject({
      unit: 'unit-a',
      address: A,
      port: PEER_PORT,
      fingerprint: ids[0]!.fingerprint,
      awaitingLog: true,
    });
    expect(a.events.at(-1)?.message).toContain('paired this unit with unit-b');
    expect(b.events.at(-1)?.message).toContain('paired with unit-a');
  });

  it('refuses a wrong code, records it on both units, and burns the code after five tries', async () => {
    const { a, b } = world();
    const { code } = b.pairing.issueCode('admin');
    for (let i = 1; i <= MAX_FAILURES; i++) {
      await expect(a.pairing.pair(ask(wrongCode(code)), 'admin')).rejects.toMatchObject({
        code: 'forbidden',
        message: expect.stringContaining('wrong pairing code'),
      });
    }
    expect(a.events.filter((e) => e.message.includes('wrong pairing code'))).toHaveLength(
      MAX_FAILURES,
    );
    expect(b.events.filter((e) => e.message.includes('wrong pairing code'))).toHaveLength(
      MAX_FAILURES,
    );
    expect(b.events.some((e) => e.message.includes('burnt'))).toBe(true);
    // Burnt: even the right code no longer pairs; a new code does.
    await expect(a.pairing.pair(ask(code), 'admin')).rejects.toThrow('no pairing code is active');
    const next = b.pairing.issueCode('admin');
    await a.pairing.pair(ask(next.code), 'admin');
    expect(a.store.pairing()?.unit).toBe('unit-b');
  });

  it('refuses a code that expired, and a code used once already', async () => {
    const { net, a, b } = world();
    const { code } = b.pairing.issueCode('admin');
    b.advance(CODE_TTL_MS + 1);
    await expect(a.pairing.pair(ask(code), 'admin')).rejects.toThrow('no pairing code is active');
    const fresh = b.pairing.issueCode('admin');
    await a.pairing.pair(ask(fresh.code), 'admin');
    const c = fakeUnit(net, 'unit-c', '198.18.0.3', ids[2]!);
    await expect(c.pairing.pair(ask(fresh.code), 'admin')).rejects.toThrow('already paired');
  });

  it('refuses a replayed join: its challenge was single use', async () => {
    const { net, b } = world();
    const { code } = b.pairing.issueCode('admin');
    const client = net.client(ids[0]!.fingerprint, A);
    const to = { address: B, port: PEER_PORT, pin: null };
    const hello = (await client.request(to, 'POST', '/peer/v1/pair/hello', {})).body as {
      challenge: string;
    };
    const join = async (typed: string) => {
      const key = await scryptKey({ N: 1024, r: 8, p: 1 })(typed, hello.challenge);
      const nonce = 'n'.repeat(43);
      const fingerprints = { sender: ids[0]!.fingerprint, receiver: ids[1]!.fingerprint };
      return client.request(to, 'POST', '/peer/v1/pair/join', {
        unit: 'unit-a',
        port: PEER_PORT,
        challenge: hello.challenge,
        nonce,
        mac: pairingProof(key, 'join', fingerprints, hello.challenge, nonce),
        cert: ids[0]!.cert,
      });
    };
    const first = await join(normalizePairingCode(wrongCode(code))!);
    expect(JSON.stringify(first.body)).toContain('wrong pairing code');
    // The same challenge again, now with the right code: refused, the challenge is spent.
    const again = await join(normalizePairingCode(code)!);
    expect(again.status).toBe(403);
    expect(JSON.stringify(again.body)).toContain('replayed');
    expect(b.store.pairing()).toBeNull();
  });

  it('fails against someone in the middle with the right code: neither unit pairs', async () => {
    const { net, a, b } = world();
    // M holds B's address for A, has its own certificate, and relays to B with its own client.
    const m = ids[2]!;
    const relay = net.client(m.fingerprint, '198.18.0.66');
    net.attach('198.18.0.66', PEER_PORT, {
      fingerprint: m.fingerprint,
      routes: b.routes.map((r) => ({
        ...r,
        handler: async (ctx) =>
          (
            await relay.request(
              { address: B, port: PEER_PORT, pin: null },
              r.method as 'POST',
              r.path,
              ctx.body,
            )
          ).body,
      })),
      guard: { check: () => null, changed: () => undefined },
    });
    const { code } = b.pairing.issueCode('admin');
    await expect(a.pairing.pair(ask(code, '198.18.0.66'), 'admin')).rejects.toThrow();
    expect(a.store.pairing()).toBeNull();
    expect(b.store.pairing()).toBeNull();
    expect(b.events.some((e) => e.message.includes('not the one TLS showed'))).toBe(true);
  });

  it('answers only the pinned peer once paired; pairing again needs an unpair first', async () => {
    const { net, a, b } = world();
    await a.pairing.pair(ask(b.pairing.issueCode('admin').code), 'admin');
    const stranger = net.client(ids[2]!.fingerprint, '198.18.0.3');
    const r = await stranger.request(
      { address: B, port: PEER_PORT, pin: ids[1]!.fingerprint },
      'GET',
      '/peer/v1/head',
    );
    expect(r.status).toBe(403);
    expect(() => b.pairing.issueCode('admin')).toThrow('already paired with unit-a');
    // A pin that is not the unit's own certificate is refused before any request.
    await expect(
      net
        .client(ids[0]!.fingerprint, A)
        .request({ address: B, port: PEER_PORT, pin: ids[2]!.fingerprint }, 'GET', '/peer/v1/head'),
    ).rejects.toMatchObject({ code: 'peer_untrusted' });
  });

  it('refuses two units of one name: VRRP, the peers section and the audit could not tell them apart', async () => {
    const net = createFakePeerNetwork();
    const a = fakeUnit(net, 'tandem', A, ids[0]!);
    const b = fakeUnit(net, 'tandem', B, ids[1]!);
    await expect(a.pairing.pair(ask(b.pairing.issueCode('admin').code), 'admin')).rejects.toThrow(
      'both units are named tandem',
    );
    expect([a.store.pairing(), b.store.pairing()]).toEqual([null, null]);
  });

  it('unpairs both units, or this one alone when the peer is gone', async () => {
    const { net, a, b } = world();
    await a.pairing.pair(ask(b.pairing.issueCode('admin').code), 'admin');
    expect(await a.pairing.unpair('admin')).toEqual({ peerTold: true });
    expect([a.store.pairing(), b.store.pairing()]).toEqual([null, null]);
    await a.pairing.pair(ask(b.pairing.issueCode('admin').code), 'admin');
    net.cut(B, PEER_PORT);
    expect(await a.pairing.unpair('admin')).toEqual({ peerTold: false });
    expect(a.store.pairing()).toBeNull();
    expect(a.events.at(-1)?.message).toContain('unpair it there too');
  });
});
