import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSelfSignedPair } from '../adapters/certificates.js';
import { freeTcpPort as freePort } from './agentProcess.js';
import { printed } from './printed.js';

export interface Pebble {
  /** The ACME directory URL (https, on loopback). */
  directoryUrl: string;
  /** Pebble's own TLS certificate: what an ACME client must trust (NODE_EXTRA_CA_CERTS). */
  caFile: string;
  stop(): Promise<void>;
}

/** Pebble's directory and its own TLS certificate, made before it starts (agents trust it). */
export interface PebbleFiles {
  dir: string;
  caFile: string;
  address: string;
}

/** Makes pebble's files for `address` (what its HTTPS certificate names). */
export async function pebbleFiles(address = '127.0.0.1'): Promise<PebbleFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'tandem-pebble-'));
  const pair = await createSelfSignedPair('localhost', [`IP:${address}`]);
  const caFile = join(dir, 'pebble.pem');
  await writeFile(caFile, pair.cert);
  await writeFile(join(dir, 'pebble.key'), pair.key);
  return { dir, caFile, address };
}

/**
 * A real ACME server for tests: Debian's pebble, with pebble-challtestsrv as its DNS (every name
 * is `answer`), validating HTTP-01 on `httpPort` (where the unit's HAProxy listens). On
 * loopback by default; with `netns`, inside that network namespace on `files.address` (the
 * two-unit lab). Both stop with stop(); the directory they used is removed.
 */
export async function startPebble(
  httpPort: number,
  o: { files?: PebbleFiles; netns?: string; answer?: string } = {},
): Promise<Pebble> {
  const files = o.files ?? (await pebbleFiles());
  const { dir, caFile, address } = files;
  // A namespace of its own has every port free: fixed ones there, free ones on loopback.
  const [port, management, dns, tlsPort, challManagement] = o.netns
    ? [14000, 15000, 8053, 5001, 8055]
    : await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  await writeFile(
    join(dir, 'config.json'),
    JSON.stringify({
      pebble: {
        listenAddress: `${address}:${port}`,
        managementListenAddress: `${address}:${management}`,
        certificate: caFile,
        privateKey: join(dir, 'pebble.key'),
        httpPort,
        tlsPort,
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
      },
    }),
  );
  const children: ChildProcess[] = [];
  // Only pebble's output is read (for when it listens); the DNS server's goes nowhere.
  const run = (cmd: string, args: string[], env: Record<string, string> = {}) => {
    const argv = o.netns ? ['ip', 'netns', 'exec', o.netns, cmd, ...args] : [cmd, ...args];
    const c = spawn(argv[0] ?? cmd, argv.slice(1), {
      env: { ...process.env, ...env },
      stdio: cmd === 'pebble' ? ['ignore', 'pipe', 'pipe'] : 'ignore',
    });
    children.push(c);
    return c;
  };
  run('pebble-challtestsrv', [
    '-defaultIPv4',
    o.answer ?? '127.0.0.1',
    '-defaultIPv6',
    '',
    '-dns01',
    `${address}:${dns}`,
    '-http01',
    '',
    '-https01',
    '',
    '-tlsalpn01',
    '',
    '-management',
    `${address}:${challManagement}`,
  ]);
  // No random sleeps before validating, no nonces refused on purpose: the test waits only for
  // the work itself.
  const pebble = run(
    'pebble',
    ['-config', join(dir, 'config.json'), '-dnsserver', `${address}:${dns}`],
    { PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0' },
  );
  await printed(pebble, 'Listening on', 20_000);
  return {
    directoryUrl: `https://${address}:${port}/dir`,
    caFile,
    async stop() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((r) => {
              if (c.exitCode !== null) return r();
              c.once('exit', () => r());
              c.kill('SIGTERM');
            }),
        ),
      );
      await rm(dir, { recursive: true, force: true });
    },
  };
}
