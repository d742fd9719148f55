import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseApplianceConfig, type ApplianceConfig, type CertificateGift } from '@tandem/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../adapters/atomicFiles.js';
import { createSelfSignedPair } from '../adapters/certificates.js';
import { createAcme } from './acme.js';
import { createCertificateRecords } from './certificateRecords.js';
import { createCertificateStore } from './certificateStore.js';
import {
  sharedCertificateSet,
  syncCertificates,
  type SharedCertificateSet,
} from './certificateSync.js';
import type { PeerCall } from './peerCall.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
const pems: string[] = [];
beforeAll(async () => {
  for (const cn of ['one.test', 'two.test']) {
    const p = await createSelfSignedPair(cn);
    pems.push(`${p.cert}${p.key}`);
  }
});

const using = (cert: string): ApplianceConfig => {
  const r = parseApplianceConfig({
    schemaVersion: 1,
    services: [
      {
        name: 'shop',
        mode: 'http',
        binds: [{ address: '127.0.0.1', port: 8443, tls: true }],
        tls: { certificate: cert },
        defaultBackend: 'app',
        backends: [{ name: 'app', servers: [{ name: 's1', address: '127.0.0.1', port: 8080 }] }],
      },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};

/** One unit's certificate store and ACME over a temp directory; `clock` moves by hand. */
async function unit(name: string, clock: { now: number }) {
  const dir = await mkdtemp(join(tmpdir(), `tandem-certsync-${name}-`));
  dirs.push(dir);
  const live: string[] = [];
  const world = { running: null as ApplianceConfig | null };
  const write = (path: string, content: string, mode: number) =>
    writeFileAtomic(path, content, mode);
  const store = createCertificateStore({
    dir: join(dir, 'certs'),
    hostPath: (p) => p,
    files: { write },
    now: () => clock.now,
    pkcs12ToPem: () => Promise.reject(new Error('no PKCS#12 here')),
    desired: () => world.running,
    running: () => world.running,
    replaceLive: (file) => {
      live.push(file);
      return Promise.resolve();
    },
    log: () => undefined,
    records: createCertificateRecords({
      file: join(dir, 'records.json'),
      write,
      unitName: name,
      now: () => clock.now,
    }),
  });
  await store.load();
  const acme = createAcme({
    stateFile: join(dir, 'acme.json'),
    write,
    challenges: { add: () => Promise.resolve(), remove: () => Promise.resolve() },
    store,
    now: () => clock.now,
    events: { add: () => undefined },
    log: () => undefined,
    unitName: name,
    issuer: () => ({ here: true }),
  });
  return { dir, store, acme, set: sharedCertificateSet(store, acme), live, world };
}

/** The peer routes of `to`, as a PeerCall from its peer (the same three the listener has). */
const callTo =
  (to: SharedCertificateSet, from: string, calls: string[] = []): PeerCall =>
  async (method, path, body) => {
    calls.push(`${method} ${path}`);
    if (method === 'GET' && path === '/peer/v1/certificates') return to.shared();
    if (method === 'GET') return to.withFile(decodeURIComponent(path.split('/').at(-1) ?? ''));
    return { taken: await to.take(body as CertificateGift, from) };
  };
const sync = (here: Awaited<ReturnType<typeof unit>>, there: Awaited<ReturnType<typeof unit>>) =>
  syncCertificates(callTo(there.set, 'a'), here.set, { unit: 'b', digest: there.set.digest() });

describe('certificates shared by a pair', () => {
  it('carries a certificate, a replacement and a removal both ways, files byte for byte', async () => {
    const clock = { now: 1_000 };
    const [a, b] = [await unit('a', clock), await unit('b', clock)];
    await a.store.put({ name: 'shop', pem: pems[0] });
    expect(await sync(b, a)).toBe(1);
    expect(await readFile(join(b.dir, 'certs/shop.pem'), 'utf8')).toBe(
      await readFile(join(a.dir, 'certs/shop.pem'), 'utf8'),
    );
    expect(b.set.digest()).toBe(a.set.digest());

    // Replaced on b, in use by what b runs: live there; a takes it on its next round.
    b.world.running = using('shop');
    clock.now = 2_000;
    await b.store.put({ name: 'shop', pem: pems[1], replace: true });
    expect(b.live).toEqual([join(b.dir, 'certs/shop.pem')]);
    expect(await sync(a, b)).toBe(1);
    expect(a.store.get('shop').fingerprint).toBe(b.store.get('shop').fingerprint);

    // Removed on a (nothing uses it there): b keeps it while its running config uses it.
    clock.now = 3_000;
    await a.store.remove('shop');
    expect(await sync(b, a)).toBe(0);
    expect(b.store.has('shop')).toBe(true);
    b.world.running = null;
    expect(await sync(b, a)).toBe(1);
    expect(b.store.has('shop')).toBe(false);
    expect(b.set.digest()).toBe(a.set.digest());
  });

  it('gives the peer what only this unit has, and asks nothing when in step', async () => {
    const clock = { now: 1_000 };
    const [a, b] = [await unit('a', clock), await unit('b', clock)];
    await a.store.put({ name: 'one', pem: pems[0] });
    await b.store.put({ name: 'two', pem: pems[1] });
    expect(await sync(b, a)).toBe(1);
    expect([a.store.has('two'), b.store.has('one')]).toEqual([true, true]);
    const calls: string[] = [];
    const again = await syncCertificates(callTo(a.set, 'b', calls), b.set, {
      unit: 'a',
      digest: a.set.digest(),
    });
    expect([again, calls]).toEqual([0, []]);
  });

  it('keeps the later change of a name changed on both units, the same on both', async () => {
    const clock = { now: 1_000 };
    const [a, b] = [await unit('a', clock), await unit('b', clock)];
    await a.store.put({ name: 'shop', pem: pems[0] });
    clock.now = 1_500;
    await b.store.put({ name: 'shop', pem: pems[1] });
    await sync(a, b);
    expect(a.store.get('shop').fingerprint).toBe(b.store.get('shop').fingerprint);
    expect(b.store.get('shop').subject).toContain('two.test');
  });

  it('refuses a file that is not the one its record names, and a record that is not a certificate', async () => {
    const clock = { now: 1_000 };
    const b = await unit('b', clock);
    const record = { name: 'shop', at: 5, unit: 'a', sha256: 'f'.repeat(64) };
    await expect(
      b.set.take({ records: [{ ...record, pem: pems[0]! }], acme: null }, 'a'),
    ).rejects.toThrow(/not the one its record names/);
    const junk = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    const { sha256Hex } = await import('./certificateRecords.js');
    await expect(
      b.set.take({ records: [{ ...record, sha256: sha256Hex(junk), pem: junk }], acme: null }, 'a'),
    ).rejects.toMatchObject({ code: 'bad_request' });
    expect(b.store.has('shop')).toBe(false);
  });

  it("shares ACME's settings and list, each unit keeping its own attempts", async () => {
    const clock = { now: 1_000 };
    const [a, b] = [await unit('a', clock), await unit('b', clock)];
    await a.acme.setSettings({ directoryUrl: 'https://ca.test/dir', agreeTerms: true });
    expect(await sync(b, a)).toBe(1);
    expect(b.acme.status().settings).toEqual(a.acme.status().settings);
    clock.now = 2_000;
    await b.acme.remove('none').catch(() => undefined);
    await b.acme.setSettings({
      directoryUrl: 'https://ca.test/dir',
      email: 'ops@example.org',
      agreeTerms: true,
    });
    expect(await sync(a, b)).toBe(1);
    expect(a.acme.status().settings?.email).toBe('ops@example.org');
    expect(a.set.digest()).toBe(b.set.digest());
  });

  it('squares its records with the files after a crash between the two writes', async () => {
    const clock = { now: 1_000 };
    const a = await unit('a', clock);
    await a.store.put({ name: 'shop', pem: pems[0] });
    const before = a.store.records()[0];
    // As if the power went after the file was written and before its record was.
    await writeFile(join(a.dir, 'certs/shop.pem'), pems[1]!);
    clock.now = 9_000;
    const records = createCertificateRecords({
      file: join(a.dir, 'records.json'),
      write: (p, c, m) => writeFileAtomic(p, c, m),
      unitName: 'a',
      now: () => clock.now,
    });
    const { sha256Hex } = await import('./certificateRecords.js');
    await records.load(new Map([['shop', sha256Hex(pems[1]!)]]));
    expect(records.get('shop')).toEqual({
      name: 'shop',
      unit: 'a',
      at: 9_000,
      sha256: sha256Hex(pems[1]!),
    });
    expect(before?.at).toBe(1_000);
    await records.load(new Map());
    expect(records.get('shop')?.sha256).toBeNull();
  });
});
