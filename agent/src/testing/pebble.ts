import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSelfSignedPair } from '../adapters/certificates.js';
import { freeTcpPort as freePort, waitForPort } from './agentProcess.js';

export interface Pebble {
  /** The ACME directory URL (https, on loopback). */
  directoryUrl: string;
  /** Pebble's own TLS certificate: what an ACME client must trust (NODE_EXTRA_CA_CERTS). */
  caFile: string;
  stop(): Promise<void>;
}

/**
 * A real ACME server for tests: Debian's pebble on loopback, with pebble-challtestsrv as its
 * DNS (every name is 127.0.0.1), validating HTTP-01 on `httpPort` (where the unit's HAProxy
 * listens). Both stop with stop(); the directory they used is removed.
 */
export async function startPebble(httpPort: number): Promise<Pebble> {
  const dir = await mkdtemp(join(tmpdir(), 'tandem-pebble-'));
  const [port, management, dns, tlsPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const pair = await createSelfSignedPair('localhost', ['IP:127.0.0.1']);
  const caFile = join(dir, 'pebble.pem');
  await writeFile(caFile, pair.cert);
  await writeFile(join(dir, 'pebble.key'), pair.key);
  await writeFile(
    join(dir, 'config.json'),
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${port}`,
        managementListenAddress: `127.0.0.1:${management}`,
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
  const run = (cmd: string, args: string[], env: Record<string, string> = {}) => {
    const c = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
    children.push(c);
  };
  run('pebble-challtestsrv', [
    '-defaultIPv4',
    '127.0.0.1',
    '-defaultIPv6',
    '',
    '-dns01',
    `127.0.0.1:${dns}`,
    '-http01',
    '',
    '-https01',
    '',
    '-tlsalpn01',
    '',
    '-management',
    `127.0.0.1:${await freePort()}`,
  ]);
  // No random sleeps before validating, no nonces refused on purpose: the test waits only for
  // the work itself.
  run('pebble', ['-config', join(dir, 'config.json'), '-dnsserver', `127.0.0.1:${dns}`], {
    PEBBLE_VA_NOSLEEP: '1',
    PEBBLE_WFE_NONCEREJECT: '0',
  });
  await waitForPort(port, 20_000);
  return {
    directoryUrl: `https://127.0.0.1:${port}/dir`,
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
