import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freeTcpPort } from './agentProcess.js';

const run = promisify(execFile);

/**
 * Test and benchmark harness (not used by the agent itself). Real MariaDB servers from Debian's
 * mariadb-server, each with its own data directory and a free loopback port, binary log on: what
 * the mysql-read-write template fronts. `sql` runs as root over the server's own socket.
 */
export interface MariadbNode {
  port: number;
  serverId: number;
  sql(query: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startMariadb(serverId: number): Promise<MariadbNode> {
  const dir = await mkdtemp(join(tmpdir(), 'tandem-mariadb-'));
  const data = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  const port = await freeTcpPort();
  await run('mariadb-install-db', [
    '--no-defaults',
    `--datadir=${data}`,
    '--user=root',
    '--auth-root-authentication-method=socket',
    '--skip-test-db',
  ]);
  const child: ChildProcess = spawn(
    'mariadbd',
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--server-id=${serverId}`,
      `--log-bin=${join(dir, 'binlog')}`,
      '--user=root',
      `--pid-file=${join(dir, 'mariadbd.pid')}`,
      `--log-error=${join(dir, 'error.log')}`,
      '--skip-name-resolve',
      '--innodb-buffer-pool-size=16M',
    ],
    { stdio: 'ignore' },
  );
  const sql = async (query: string) =>
    (await run('mariadb', ['--no-defaults', '-S', socket, '-uroot', '-N', '-B', '-e', query]))
      .stdout;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mariadbd ${serverId} exited at start`);
    if (
      await sql('SELECT 1').then(
        () => true,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new Error(`mariadbd ${serverId} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    serverId,
    sql,
    stop: async () => {
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A client query through any port (the template's), as the application user. */
export async function clientQuery(port: number, query: string): Promise<string> {
  const { stdout } = await run('mariadb', [
    '--no-defaults',
    '-h127.0.0.1',
    `-P${port}`,
    '-uapp',
    '-papp-password',
    '-N',
    '-B',
    '-e',
    query,
  ]);
  return stdout.trim();
}

/**
 * A primary and a replica: users for the application and the check, a table, replication by
 * GTID, the replica read-only (what makes the template's writable check tell them apart).
 */
export async function startReplicatedPair(): Promise<{
  primary: MariadbNode;
  replica: MariadbNode;
}> {
  const primary = await startMariadb(1);
  const replica = await startMariadb(2);
  await replica.sql(
    `CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${primary.port}, MASTER_USER='repl', MASTER_PASSWORD='repl-password', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1; SET GLOBAL read_only=1`,
  );
  await primary.sql(
    [
      "CREATE USER 'repl'@'127.0.0.1' IDENTIFIED BY 'repl-password'",
      "GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1'",
      "CREATE USER 'haproxy_check'@'127.0.0.1'",
      "CREATE USER 'app'@'127.0.0.1' IDENTIFIED BY 'app-password'",
      'CREATE DATABASE shop',
      "GRANT ALL ON shop.* TO 'app'@'127.0.0.1'",
      'CREATE TABLE shop.orders (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(64))',
    ].join('; '),
  );
  await replica.sql('START SLAVE');
  await waitForReplica(replica, primary);
  return { primary, replica };
}

/** Until the replica has applied everything the primary wrote (its GTID position caught up). */
export async function waitForReplica(replica: MariadbNode, primary: MariadbNode): Promise<void> {
  const target = (await primary.sql('SELECT @@global.gtid_binlog_pos')).trim();
  const deadline = Date.now() + 30_000;
  while ((await replica.sql('SELECT @@global.gtid_slave_pos')).trim() !== target) {
    if (Date.now() > deadline) throw new Error(`the replica did not reach ${target}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Promotes `next` and makes `previous` its read-only replica (a planned switch of primary). */
export async function switchPrimary(previous: MariadbNode, next: MariadbNode): Promise<void> {
  await previous.sql('SET GLOBAL read_only=1');
  await waitForReplica(next, previous);
  await next.sql('STOP SLAVE; RESET SLAVE ALL; SET GLOBAL read_only=0');
  await previous.sql(
    `CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${next.port}, MASTER_USER='repl', MASTER_PASSWORD='repl-password', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1; START SLAVE`,
  );
}
