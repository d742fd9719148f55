import { join } from 'node:path';
import { unixCommand } from '@tandem/agent/adapters/unixCommand';
import type { AgentHandle } from '@tandem/agent/testing/agentProcess';
import {
  clientQuery,
  startReplicatedPair,
  switchPrimary,
  type MariadbNode,
} from '@tandem/agent/testing/mariadbServers';
import { parseServersState } from '@tandem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyRuntimes, startAgentOn } from '../support/haproxyRuntimes.js';
import { freePort } from '../support/ports.js';
import { addService } from '../support/serviceEdits.js';

const UP = 2;
const DOWN = 0;

/**
 * mysql-read-write in front of a real MariaDB primary and replica (issue 12): writes reach only
 * the primary, reads spread over both, and a switch of primary is followed (the write check asks
 * @@global.read_only, which HAProxy's own mysql-check cannot).
 */
describe.each(haproxyRuntimes().map((rt) => [rt.label, rt] as const))(
  'mysql-read-write on the real %s',
  (_l, rt) => {
    let cleanup: () => Promise<void> = async () => undefined;
    let agent: AgentHandle;
    let primary: MariadbNode;
    let replica: MariadbNode;
    let writePort: number;
    let readPort: number;

    const writeState = async () => {
      const text = await unixCommand(
        join(agent.stateDir, 'run/haproxy.sock'),
        'show servers state',
      );
      const rows = parseServersState(text).filter((r) => r.backend === 'db-write.master');
      return new Map(rows.map((r) => [r.server, r.opState]));
    };
    const until = async (what: string, ok: () => Promise<boolean>) => {
      const deadline = Date.now() + 30_000;
      while (!(await ok())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    beforeAll(async () => {
      ({ primary, replica } = await startReplicatedPair());
      writePort = await freePort();
      readPort = await freePort();
      ({ agent, cleanup } = await startAgentOn(rt, 'mysql', await freePort()));
      await addService(agent, 'mysql-read-write', {
        name: 'db',
        address: '127.0.0.1',
        writePort,
        readPort,
        master: { address: '127.0.0.1', port: primary.port },
        replicas: [{ address: '127.0.0.1', port: replica.port }],
      });
      await agent.api.send('POST', '/v1/apply', {});
      await until('the check to tell the primary from the replica', async () => {
        const s = await writeState();
        return s.get('master1') === UP && s.get('replica1') === DOWN;
      });
    }, 120_000);

    afterAll(async () => {
      await agent?.stop();
      await primary?.stop();
      await replica?.stop();
      await cleanup();
    });

    it('sends every write to the primary and spreads reads over both', async () => {
      for (let i = 0; i < 20; i++) {
        expect(await clientQuery(writePort, 'SELECT @@server_id')).toBe('1');
        await clientQuery(writePort, `INSERT INTO shop.orders (note) VALUES ('w${i}')`);
      }
      const readers = new Set<string>();
      for (let i = 0; i < 20; i++) readers.add(await clientQuery(readPort, 'SELECT @@server_id'));
      expect(readers).toEqual(new Set(['1', '2']));
    }, 60_000);

    // How soon the switch is followed depends on the check interval and the machine's load; a
    // bound here would be a timed test. The wait gives up only on a switch never followed.
    it('follows a switch of primary: writes go to the promoted replica', async () => {
      await switchPrimary(primary, replica);
      await until('the switch to be followed', async () => {
        const s = await writeState();
        return s.get('replica1') === UP && s.get('master1') === DOWN;
      });
      expect(await clientQuery(writePort, 'SELECT @@server_id')).toBe('2');
      await clientQuery(writePort, "INSERT INTO shop.orders (note) VALUES ('after the switch')");
    }, 60_000);
  },
);
