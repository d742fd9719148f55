import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeTcpPort } from './agentProcess.js';

/** Resolves once Redis accepts connections (it answers PING). */
async function waitForRedis(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await redisCommand(port, 'PING').then(
      (a) => a.startsWith('+PONG'),
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis on ${port} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Test and benchmark harness (not used by the agent itself). Real Redis servers from Debian's redis-server, on free loopback ports, no persistence: what the
 * redis-master template fronts. Each test builds its own and stops them in afterAll.
 */
export interface RedisNode {
  port: number;
  stop(): Promise<void>;
}

export async function startRedis(replicaOf?: number): Promise<RedisNode> {
  const port = await freeTcpPort();
  // A replica writes the master's snapshot to dump.rdb in its directory even with no `save`
  // rules: give each server a directory of its own, removed when it stops (not the caller's cwd).
  const dir = mkdtempSync(join(tmpdir(), 'tandem-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir];
  args.push('--save', '', '--appendonly', 'no');
  if (replicaOf !== undefined) args.push('--replicaof', '127.0.0.1', String(replicaOf));
  const child: ChildProcess = spawn('redis-server', args, { stdio: 'ignore' });
  await waitForRedis(port);
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}

/**
 * One Redis command over RESP, on a new connection (inline form: the tests only send words
 * without spaces). Answers the first reply line: `+OK`, `-READONLY ...`, `:1`, `$n` + data.
 */
export function redisCommand(port: number, ...words: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    let buf = '';
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`redis on ${port}: no answer to ${words[0]}`));
    }, 5_000);
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => {
      buf += d;
      if (buf.includes('\r\n')) {
        clearTimeout(timer);
        sock.destroy();
        resolve(buf);
      }
    });
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    sock.on('close', () => {
      clearTimeout(timer);
      if (!buf.includes('\r\n')) reject(new Error(`redis on ${port}: closed without an answer`));
    });
    sock.write(`${words.join(' ')}\r\n`);
  });
}

/** Promotes `next` and makes `previous` its replica (what Sentinel does at a failover). */
export async function switchMaster(previous: RedisNode, next: RedisNode): Promise<void> {
  await redisCommand(next.port, 'REPLICAOF', 'NO', 'ONE');
  await redisCommand(previous.port, 'REPLICAOF', '127.0.0.1', String(next.port));
}
