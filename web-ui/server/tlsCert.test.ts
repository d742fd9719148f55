import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { watchCertificate } from './tlsCert.js';

const dir = mkdtempSync(join(tmpdir(), 'tandem-cert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('keeps running when a new pair does not load, and takes it once it does', async () => {
  const loaded: string[] = [];
  const logged: string[] = [];
  let broken = 2;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  const w = watchCertificate(
    dir,
    (pair) => {
      // What setSecureContext does with a key that does not match (yet): it throws.
      if (broken-- > 0) throw new Error('key values mismatch');
      loaded.push(pair.cert.toString());
      done();
    },
    { log: (m) => logged.push(m), debounceMs: 10 },
  );
  writeFileSync(join(dir, 'console.key'), 'key');
  writeFileSync(join(dir, 'console.crt'), 'cert-2');
  await finished;
  w.close();
  expect(loaded).toEqual(['cert-2']);
  expect(logged).toEqual([]);
});

it('says so, and keeps the previous certificate, when the pair never loads', async () => {
  const logged: string[] = [];
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  const w = watchCertificate(
    dir,
    () => {
      throw new Error('key values mismatch');
    },
    {
      log: (m) => {
        logged.push(m);
        done();
      },
      retries: 2,
      debounceMs: 10,
    },
  );
  writeFileSync(join(dir, 'console.crt'), 'cert-3');
  await finished;
  w.close();
  expect(logged).toEqual([
    'the new certificate did not load, the previous one stays: key values mismatch',
  ]);
});
