import { beforeAll, describe, expect, it } from 'vitest';
import { createFakeCertificateFiles } from '../adapters/certificateFiles.js';
import { createSelfSignedPair } from '../adapters/certificates.js';
import { createConsoleCertificate, describeCertificate } from './consoleCertificate.js';

/** The console certificate service on fake files: upload checks, first start, what it shows. */
describe('console certificate', () => {
  let a: { cert: string; key: string };
  let b: { cert: string; key: string };
  beforeAll(async () => {
    a = await createSelfSignedPair('a.example', ['IP:127.0.0.1'], 30);
    b = await createSelfSignedPair('b.example', [], 30);
  });
  const service = (now = Date.now()) => {
    const fake = createFakeCertificateFiles();
    const made: string[] = [];
    const s = createConsoleCertificate({
      files: fake.files,
      hostName: 'unit-1',
      selfSigned: async (host) => (made.push(host), a),
      now: () => now,
    });
    return { s, fake, made };
  };

  it('makes a self-signed pair at first start, once', async () => {
    const { s, fake, made } = service();
    await s.ensure();
    await s.ensure();
    expect(made).toEqual(['unit-1']);
    expect(fake.writes).toHaveLength(1);
    expect(await s.info()).toMatchObject({
      subject: 'CN=a.example',
      selfSigned: true,
      names: expect.stringContaining('127.0.0.1'),
    });
  });

  it('installs a matching, valid pair and says what it is', async () => {
    const { s, fake } = service();
    const info = await s.install({ certificate: b.cert, key: b.key });
    expect(info).toMatchObject({ subject: 'CN=b.example', issuer: 'CN=b.example' });
    expect(fake.writes.at(-1)?.cert).toBe(b.cert.trim() + '\n');
  });

  it.each([
    ['not PEM', { certificate: 'hello', key: 'x' }, ['certificate', 'key']],
    ['a key of another certificate', 'mismatch', ['key']],
    ['an expired certificate', 'expired', ['certificate']],
  ])('refuses %s, naming the field, and writes nothing', async (_what, input, paths) => {
    const later = Date.now() + 60 * 86_400_000; // the 30-day pair has expired by then
    const { s, fake } = service(input === 'expired' ? later : Date.now());
    const body =
      input === 'mismatch'
        ? { certificate: a.cert, key: b.key }
        : input === 'expired'
          ? { certificate: a.cert, key: a.key }
          : input;
    const e = await s.install(body).then(
      () => null,
      (err: unknown) => err as { code: string; fields: { path: string }[] },
    );
    expect(e?.code).toBe('bad_request');
    expect(e?.fields.map((f) => f.path)).toEqual(paths);
    expect(fake.writes).toEqual([]);
  });

  it('reads names and dates with the built-in X.509 parser', () => {
    const info = describeCertificate(a.cert);
    expect(info.names).toBe('DNS:a.example, IP Address:127.0.0.1');
    expect(new Date(info.notAfter).getTime()).toBeGreaterThan(Date.now());
  });
});
