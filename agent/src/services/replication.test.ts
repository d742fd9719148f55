import { PairRequest } from '@tandem/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFakePeerNetwork } from '../testing/fakePeerNetwork.js';
import {
  config,
  fakeUnit,
  PEER_PORT,
  testIdentity,
  type FakeUnit,
  type TestIdentity,
} from '../testing/fakeUnitPair.js';
import { generationHash } from './generationHash.js';
import { totpCode } from './secondFactorCheck.js';

let ids: TestIdentity[] = [];
beforeAll(async () => {
  ids = await Promise.all([testIdentity(), testIdentity()]);
});

const A = '198.18.0.1';
const B = '198.18.0.2';

/** Two units, A with three changes of its own, paired (B showed the code) and synced once. */
async function pair() {
  const net = createFakePeerNetwork();
  const a = fakeUnit(net, 'unit-a', A, ids[0]!);
  const b = fakeUnit(net, 'unit-b', B, ids[1]!);
  await a.change(['web']);
  await a.change(['web', 'api']);
  await b.change(['mine']);
  await a.pairing.pair(
    PairRequest.parse({ address: B, code: b.pairing.issueCode('admin').code }),
    'admin',
  );
  await a.replication.syncNow();
  return { net, a, b };
}
const names = (u: FakeUnit) => u.generations.latest()?.config.services.map((s) => s.name);
const peerOf = (u: FakeUnit) => u.replication.status();
/** What the peer routes would get from A: its latest generation as an entry, changed by `edit`. */
function entryFrom(u: FakeUnit, edit: (e: Record<string, unknown>) => void) {
  const r = u.store.latest()!;
  const e: Record<string, unknown> = { ...r };
  edit(e);
  return e;
}

describe('replication', () => {
  it("gives the joining unit the inviter's log and history, archiving its own, and runs it", async () => {
    const { a, b } = await pair();
    expect(b.log()).toEqual(a.log());
    expect(names(b)).toEqual(['web', 'api']);
    expect(b.store.running()).toBe(a.store.running());
    expect(b.store.pairing()?.awaitingLog).toBe(false);
    expect(b.events.some((e) => e.message.includes("this unit's own history is archived"))).toBe(
      true,
    );
    expect(peerOf(a)).toMatchObject({ state: 'in-sync', runsSame: true, running: 3, error: null });
  });

  it('ships a change on either unit, and a deletion is a deletion', async () => {
    const { a, b } = await pair();
    await a.change(['web']);
    await a.replication.syncNow();
    expect(names(b)).toEqual(['web']);
    expect(b.store.running()).toBe(4);
    await b.change(['web', 'extra']);
    await b.replication.syncNow();
    expect(names(a)).toEqual(['web', 'extra']);
    expect(a.store.running()).toBe(5);
    expect(a.store.latest()?.unit).toBe('unit-b');
    expect(a.log()).toEqual(b.log());
  });

  it('does not run on the peer what the unit where it was made does not run yet', async () => {
    const { a, b } = await pair();
    a.generations.commit({
      base: 3,
      config: config(['staged']),
      author: 'admin',
      message: '',
      origin: 'change',
    });
    await a.replication.syncNow();
    expect(b.store.latest()?.number).toBe(4);
    expect(b.store.running()).toBe(3);
    await a.apply();
    await a.replication.syncNow();
    expect(b.store.running()).toBe(4);
  });

  it('catches up a peer that was down during five changes, exactly', async () => {
    const { net, a, b } = await pair();
    net.cut(B, PEER_PORT);
    for (let i = 0; i < 5; i++) {
      await a.change([`s${i}`]);
      await a.replication.syncNow();
    }
    expect(peerOf(a)).toMatchObject({
      state: 'unreachable',
      error: expect.stringContaining('did not answer'),
    });
    net.heal(B, PEER_PORT);
    await a.replication.syncNow();
    expect(b.log()).toEqual(a.log());
    expect(b.store.running()).toBe(8);
    expect(peerOf(a)).toMatchObject({ state: 'in-sync', runsSame: true });
  });

  it('lets a unit that fell behind fetch what it lacks', async () => {
    const { net, a, b } = await pair();
    net.cut(B, PEER_PORT);
    await a.change(['one']);
    await a.change(['two']);
    net.heal(B, PEER_PORT);
    await b.replication.syncNow();
    expect(b.log()).toEqual(a.log());
    expect(names(b)).toEqual(['two']);
  });

  it('refuses a payload changed on the way, naming the hash', async () => {
    const { a, b } = await pair();
    const tampered = entryFrom(a, (e) => {
      e.number = 4;
      e.parentHash = a.store.latest()!.hash;
      e.config = JSON.stringify(config(['evil']));
    });
    expect(() => b.replication.receive({ entries: [tampered as never], replace: false })).toThrow(
      expect.objectContaining({
        code: 'bad_request',
        fields: [expect.objectContaining({ path: 'entries[0].hash' })],
      }),
    );
    expect(b.store.latest()?.number).toBe(3);
  });

  it('refuses a payload that would inject a directive, by the same validation as API input', async () => {
    const { a, b } = await pair();
    const bad = JSON.stringify({
      ...config(['web']),
      services: [{ ...config(['web']).services[0], name: 'web\n  program x' }],
    });
    const parent = a.store.latest()!.hash;
    const entry = entryFrom(a, (e) => {
      e.number = 4;
      e.parentHash = parent;
      e.config = bad;
      e.hash = generationHash(parent, bad);
    });
    expect(() => b.replication.receive({ entries: [entry as never], replace: false })).toThrow(
      expect.objectContaining({
        code: 'invalid_config',
        fields: [expect.objectContaining({ path: 'entries[0].config.services[0].name' })],
      }),
    );
    expect(b.store.latest()?.number).toBe(3);
  });

  it('takes a retried batch once, and refuses a gap and a stale generation of another content', async () => {
    const { a, b } = await pair();
    const same = entryFrom(a, () => undefined);
    expect(b.replication.receive({ entries: [same as never], replace: false }).number).toBe(3);
    const gap = entryFrom(a, (e) => {
      e.number = 5;
    });
    expect(() => b.replication.receive({ entries: [gap as never], replace: false })).toThrow(
      'does not sit',
    );
    const other = JSON.stringify(config(['other']));
    const stale = entryFrom(a, (e) => {
      e.config = other;
      e.hash = generationHash(e.parentHash as string, other);
    });
    expect(() => b.replication.receive({ entries: [stale as never], replace: false })).toThrow(
      'diverged',
    );
    expect(b.log()).toEqual(a.log());
  });

  it('raises a failed apply on the peer on both units; the peer keeps running the one before', async () => {
    const { a, b } = await pair();
    b.state.failApply = 'haproxy -c: bind 127.0.0.1:9000 already in use';
    await a.change(['web', 'new']);
    await a.replication.syncNow();
    expect(b.store.running()).toBe(3);
    expect(peerOf(a)).toMatchObject({
      state: 'apply-failed',
      error: expect.stringContaining('already in use'),
    });
    expect(a.events.at(-1)).toMatchObject({
      severity: 'error',
      message: expect.stringContaining('could not apply generation 4'),
    });
    // Raised on the peer too: its own status and timeline say it runs the one before.
    expect(peerOf(b)).toMatchObject({
      state: 'apply-failed',
      error: expect.stringContaining('this unit could not apply generation 4, which unit-a runs'),
    });
    expect(b.events.at(-1)?.message).toContain('this unit runs 3');
    // Fixed on the peer: the next round (after a change or a kick) runs it.
    b.state.failApply = null;
    a.replication.kick();
    await a.replication.syncNow();
    expect(b.store.running()).toBe(4);
    expect(peerOf(a)).toMatchObject({ state: 'in-sync', error: null });
    expect(peerOf(b)?.state).not.toBe('apply-failed');
  });

  it('keeps both branches of a partition and shows a conflict on both units', async () => {
    const { net, a, b } = await pair();
    net.cut(B, PEER_PORT);
    await a.change(['from-a']);
    await b.change(['from-b']);
    await a.replication.syncNow();
    net.heal(B, PEER_PORT);
    await a.replication.syncNow();
    await b.replication.syncNow();
    for (const u of [a, b]) expect(peerOf(u)).toMatchObject({ state: 'conflict' });
    expect(peerOf(a)?.conflict?.here.number).toBe(4);
    expect(names(a)).toEqual(['from-a']);
    expect(names(b)).toEqual(['from-b']);
  });

  it.each([
    ['unit-a', 'from-a'],
    ['unit-b', 'from-b'],
  ])(
    'resolves a conflict by keeping %s: the other branch is archived, both logs equal',
    async (keep, kept) => {
      const { net, a, b } = await pair();
      net.cut(B, PEER_PORT);
      await a.change(['from-a']);
      await b.change(['from-b']);
      net.heal(B, PEER_PORT);
      await a.replication.syncNow();
      await expect(a.replication.resolve('unit-c', 'admin')).rejects.toMatchObject({
        fields: [expect.objectContaining({ path: 'keep' })],
      });
      // Chosen on unit a either way: when the peer's branch is kept, a archives its own.
      await a.replication.resolve(keep, 'admin');
      await b.replication.syncNow();
      await a.replication.syncNow();
      expect(a.log()).toEqual(b.log());
      expect([names(a), names(b)]).toEqual([[kept], [kept]]);
      expect([a.store.running(), b.store.running()]).toEqual([4, 4]);
      const loser = keep === 'unit-a' ? b : a;
      expect(loser.events.some((e) => e.message.includes('1 generation(s) after 3 archived'))).toBe(
        true,
      );
      for (const u of [a, b]) expect(peerOf(u)).toMatchObject({ state: 'in-sync', conflict: null });
    },
  );

  it("shows what the peer says of itself, and both units' VRRP states together", async () => {
    const { a, b } = await pair();
    const cert = (name: string, fingerprint: string) => ({
      name,
      fingerprint,
      notAfter: '2027-03-01T00:00:00.000Z',
    });
    const ready = (
      state: string,
      down: number,
      certificates = [cert('shop', 'AA:01')],
      members = ['198.18.0.2:80'],
    ) => ({
      servers: { up: 2, down, other: 0 },
      vrrp: [{ name: 'edge', state }],
      identityNotAfter: '2126-11-06T00:00:00.000Z',
      certificates,
      discovery: [{ backend: 'web.pool', name: 'web.test', members }],
    });
    a.state.readiness = ready('MASTER', 0, [cert('shop', 'AA:01'), cert('api', 'BB:01')]);
    b.state.readiness = ready('BACKUP', 1, [cert('shop', 'AA:02')]);
    await a.replication.syncNow();
    expect(peerOf(a)).toMatchObject({
      readiness: { servers: { up: 2, down: 1 }, identityNotAfter: '2126-11-06T00:00:00.000Z' },
      vrrp: [{ name: 'edge', here: 'MASTER', peer: 'BACKUP', verdict: 'one master' }],
    });
    // Each certificate on either unit, side by side: one renewed here only, one not there.
    const side = (f: string) => ({ fingerprint: f, notAfter: '2027-03-01T00:00:00.000Z' });
    expect(peerOf(a)?.certificates).toEqual([
      { name: 'api', here: side('BB:01'), peer: null, same: false },
      { name: 'shop', here: side('AA:01'), peer: side('AA:02'), same: false },
    ]);
    // Each unit resolves on its own: the members each holds, and whether they agree.
    expect(peerOf(a)?.discovery).toEqual([
      {
        backend: 'web.pool',
        name: 'web.test',
        here: ['198.18.0.2:80'],
        peer: ['198.18.0.2:80'],
        same: true,
      },
    ]);
    b.state.readiness = ready('BACKUP', 1, [cert('shop', 'AA:01'), cert('api', 'BB:01')], []);
    await a.replication.syncNow();
    expect(peerOf(a)?.certificates.map((c) => c.same)).toEqual([true, true]);
    expect(peerOf(a)?.discovery[0]).toMatchObject({ peer: [], same: false });
    b.state.readiness = ready('MASTER', 0);
    await a.replication.syncNow();
    expect(peerOf(a)?.vrrp[0]?.verdict).toBe('two masters');
  });

  it('shares console users both ways: added, removed, and a password changed on both while apart', async () => {
    const { net, a, b } = await pair();
    const pw = 'a long enough passphrase';
    await a.users.addUser('admin', { name: 'ann', role: 'admin', password: pw });
    await b.users.addUser('admin', { name: 'bob', role: 'read-only', password: pw });
    await a.replication.syncNow();
    const names = (u: FakeUnit) => u.users.users().map((x) => `${x.name}:${x.role}`);
    expect(names(a)).toEqual(['ann:admin', 'bob:read-only']);
    expect(names(b)).toEqual(names(a));
    b.users.removeUser('admin', 'bob');
    await b.replication.syncNow();
    expect(names(a)).toEqual(['ann:admin']);
    // Apart, each unit resets ann's password; the later change wins on both, audited on both.
    net.cut(B, PEER_PORT);
    await a.users.resetPassword('admin', 'ann', { password: `${pw} one` });
    b.advance(1000);
    await b.users.resetPassword('admin', 'ann', { password: `${pw} two` });
    net.heal(B, PEER_PORT);
    await a.replication.syncNow();
    const hash = (u: FakeUnit) => u.users.userRecords().find((r) => r.name === 'ann')?.hash;
    expect(hash(a)).toBe(hash(b));
    expect(a.users.userRecords().find((r) => r.name === 'ann')?.updatedOn).toBe('unit-b');
    expect(a.users.auditLog().map((x) => `${x.user} ${x.action} ${x.detail}`)).toContainEqual(
      expect.stringMatching(/^peer:unit-b user-synced ann \(admin\), changed on unit-b at /),
    );
    expect(a.users.usersDigest()).toBe(b.users.usersDigest());
  });

  it('shares a second factor and the sign-in policy: a recovery code used on a is gone on b', async () => {
    const { a, b } = await pair();
    const pw = 'a long enough passphrase';
    await a.users.addUser('admin', { name: 'ann', role: 'admin', password: pw });
    const { token } = await a.users.login({ name: 'ann', password: pw }, 'x');
    const e = await a.users.twoFactor.start(token, { password: pw });
    const { recoveryCodes } = a.users.twoFactor.confirm(token, {
      code: totpCode(e.secret, a.now()),
    });
    a.users.twoFactor.setPolicy('ann', token, { requireTwoFactorForAdmins: true });
    await a.replication.syncNow();
    expect(b.users.twoFactor.policy()).toEqual({ requireTwoFactorForAdmins: true });
    const onB = await b.users.login({ name: 'ann', password: pw, code: recoveryCodes[0] }, 'y');
    expect(onB.session).toMatchObject({ twoFactor: true, mustEnrol: false });
    await b.replication.syncNow();
    expect(
      await a.users
        .login({ name: 'ann', password: pw, code: recoveryCodes[0] }, 'x')
        .catch((err: Error) => err.message),
    ).toBe('the code is not right');
    expect(a.users.usersDigest()).toBe(b.users.usersDigest());
  });

  it.each([
    ['a day ahead', 86_400_000],
    ['a day behind', -86_400_000],
  ])('pairs and syncs both ways with the peer clock %s, and shows the skew', async (_w, skew) => {
    const net = createFakePeerNetwork();
    const a = fakeUnit(net, 'unit-a', A, ids[0]!);
    const b = fakeUnit(net, 'unit-b', B, ids[1]!);
    b.advance(skew);
    await a.change(['web']);
    await a.pairing.pair(
      PairRequest.parse({ address: B, code: b.pairing.issueCode('admin').code }),
      'admin',
    );
    await a.replication.syncNow();
    expect(b.log()).toEqual(a.log());
    await b.change(['web', 'made-on-b']);
    await b.replication.syncNow();
    expect(names(a)).toEqual(['web', 'made-on-b']);
    expect(a.log()).toEqual(b.log());
    expect(peerOf(a)).toMatchObject({ state: 'in-sync', runsSame: true, clockSkewMs: skew });
    expect(peerOf(b)?.clockSkewMs).toBe(-skew);
  });

  it('measures the clock skew between the units', async () => {
    const { a, b } = await pair();
    b.advance(1500);
    await a.replication.syncNow();
    expect(peerOf(a)?.clockSkewMs).toBe(1500);
  });
});
