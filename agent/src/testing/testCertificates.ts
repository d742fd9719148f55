import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestChain {
  /** The server certificate for `names`, issued by the intermediate. */
  leaf: string;
  leafKey: string;
  intermediate: string;
  root: string;
  /** The leaf, its chain and its key as a PKCS#12 file protected by `password`. */
  pkcs12: Buffer;
  password: string;
}

/**
 * A real three-level chain made by openssl for tests: a root, an intermediate and a server
 * certificate (EC P-256) for the given DNS names, plus the same as PKCS#12.
 */
export async function makeTestChain(names: readonly string[], days = 30): Promise<TestChain> {
  const dir = await mkdtemp(join(tmpdir(), 'tandem-chain-'));
  const f = (n: string) => join(dir, n);
  const key = (n: string) =>
    run('openssl', [
      'genpkey',
      '-algorithm',
      'EC',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-out',
      f(n),
    ]);
  try {
    await Promise.all([key('root.key'), key('int.key'), key('leaf.key')]);
    await writeFile(
      f('ca.ext'),
      'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n',
    );
    await writeFile(
      f('leaf.ext'),
      `basicConstraints=CA:FALSE\nsubjectAltName=${names.map((n) => `DNS:${n}`).join(',')}\n`,
    );
    await run('openssl', [
      'req',
      '-x509',
      '-new',
      '-key',
      f('root.key'),
      '-subj',
      '/CN=Tandem Test Root',
      '-days',
      String(days + 10),
      '-out',
      f('root.crt'),
    ]);
    const sign = async (name: string, subject: string, issuer: string, ext: string, d: number) => {
      await run('openssl', [
        'req',
        '-new',
        '-key',
        f(`${name}.key`),
        '-subj',
        subject,
        '-out',
        f(`${name}.csr`),
      ]);
      await run('openssl', [
        'x509',
        '-req',
        '-in',
        f(`${name}.csr`),
        '-CA',
        f(`${issuer}.crt`),
        '-CAkey',
        f(`${issuer}.key`),
        '-CAcreateserial',
        '-days',
        String(d),
        '-extfile',
        f(ext),
        '-out',
        f(`${name}.crt`),
      ]);
    };
    await sign('int', '/CN=Tandem Test Intermediate', 'root', 'ca.ext', days + 5);
    await sign('leaf', `/CN=${names[0] ?? 'test'}`, 'int', 'leaf.ext', days);
    const password = 'p12 test password';
    await run(
      'openssl',
      [
        'pkcs12',
        '-export',
        '-inkey',
        f('leaf.key'),
        '-in',
        f('leaf.crt'),
        '-certfile',
        f('int.crt'),
        '-passout',
        'env:P12',
        '-out',
        f('leaf.p12'),
      ],
      { env: { ...process.env, P12: password } },
    );
    const read = (n: string) => readFile(f(n), 'utf8');
    return {
      leaf: await read('leaf.crt'),
      leafKey: await read('leaf.key'),
      intermediate: await read('int.crt'),
      root: await read('root.crt'),
      pkcs12: await readFile(f('leaf.p12')),
      password,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
