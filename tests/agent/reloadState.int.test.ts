import { join } from 'node:path';
import { ApiError } from '@tandem/agent/cli/apiClient';
import { unixCommand } from '@tandem/agent/adapters/unixCommand';
import { namedBackend, type AgentHandle } from '@tandem/agent/testing/agentProcess';
import { parseServersState, type ServerStateRow, type StatusResponse } from '@tandem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyRuntimes, startAgentOn, type HaproxyRuntime } from '../support/haproxyRuntimes.js';
import { freePort } from '../support/ports.js';
import { unrelatedApply as unrelated } from '../support/serviceEdits.js';
import {
  redisCommand,
  startRedis,
  switchMaster,
  type RedisNode,
} from '@tandem/agent/testing/redisServers';

const DOWN = 0;
const UP = 2;
const FORCED_DRAIN = 0x08;

/**
 * What a reload keeps (issue 12): health states through HAProxy's server-state file, operator
 * states set live, and the redis-master template in front of a real Redis master and replica,
 * where "UP until proven otherwise" after a reload sent writes to the replica.
 */
describe.each(haproxyRuntimes().map((rt) => [rt.label, rt] as const))(
  'reloads keep server state on the real %s',
  (_l, rt: HaproxyRuntime) => {
    let cleanup: () => Promise<void> = async () => undefined;
    let agent: AgentHandle;
    let web: Awaited<ReturnType<typeof namedBackend>>;
    let master: RedisNode;
    let replica: RedisNode;
    let redisPort: number;
    let extra = 0;

    const desired = async () => (await agent.api.get<StatusResponse>('/v1/status')).desired;
    const state = async (): Promise<Map<string, ServerStateRow>> => {
      const text = await unixCommand(
        join(agent.stateDir, 'run/haproxy.sock'),
        'show servers state',
      );
      return new Map(parseServersState(text).map((r) => [`${r.backend}/${r.server}`, r]));
    };
    /** Polls HAProxy's own answer until `ok` holds (checks run on HAProxy's clock, not ours). */
    const until = async (what: string, ok: (s: Map<string, ServerStateRow>) => boolean) => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const s = await state();
        if (ok(s)) return s;
        if (Date.now() > deadline) throw new Error(`${what}: ${JSON.stringify([...s.values()])}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const op = (s: Map<string, ServerStateRow>, key: string) => s.get(key)?.opState;
    const unrelatedApply = () => unrelated(agent, ++extra);

    beforeAll(async () => {
      web = await namedBackend('web-up');
      master = await startRedis();
      replica = await startRedis(master.port);
      redisPort = await freePort();
      ({ agent, cleanup } = await startAgentOn(rt, 'reload-state', await freePort()));
      await agent.api.send('POST', '/v1/services', {
        base: await desired(),
        template: 'http-load-balancing',
        params: {
          name: 'web',
          port: await freePort(),
          // web2 listens nowhere: its check fails.
          servers: [
            { address: '127.0.0.1', port: web.port },
            { address: '127.0.0.1', port: await freePort() },
          ],
          healthPath: '/health',
        },
      });
      await agent.api.send('POST', '/v1/services', {
        base: await desired(),
        template: 'redis-master',
        params: {
          name: 'redis',
          port: redisPort,
          servers: [
            { address: '127.0.0.1', port: master.port },
            { address: '127.0.0.1', port: replica.port },
          ],
          // Typed as HAProxy users write durations (issue 12, item 5).
          checkIntervalMs: '500ms',
        },
      });
      const first = await agent.api.send<{ freshServers: string[] }>('POST', '/v1/apply', {});
      // Nothing was saved before the first worker knew these servers: all start fresh.
      expect(first.freshServers).toEqual(
        expect.arrayContaining(['web.app/web1', 'web.app/web2', 'redis.master/redis1']),
      );
      await until(
        'checks settle',
        (s) =>
          op(s, 'web.app/web2') === DOWN &&
          op(s, 'redis.master/redis2') === DOWN &&
          op(s, 'redis.master/redis1') === UP,
      );
    }, 90_000);

    afterAll(async () => {
      await agent?.stop();
      web?.server.close();
      await master?.stop();
      await replica?.stop();
      await cleanup();
    });

    it('a DOWN server and a Redis replica stay DOWN across applies, and no write fails', async () => {
      let writes = 0;
      const failures: string[] = [];
      let stop = false;
      const writer = (async () => {
        while (!stop) {
          writes++;
          const answer = await redisCommand(redisPort, 'SET', 'k', String(writes)).catch(
            (e: unknown) => `error ${String(e)}`,
          );
          if (!answer.startsWith('+OK')) failures.push(answer.trim());
        }
      })();
      try {
        for (let i = 0; i < 5; i++) {
          const r = await unrelatedApply();
          expect(r.outcome).toBe('reload');
          // Only the added service's server is new; every other server's state was carried.
          expect(r.freshServers).toEqual([`extra${extra}.app/app1`]);
          // Read straight after the apply answered, before any check of the new worker could
          // have run: the saved state, not "UP until proven otherwise".
          const s = await state();
          expect(op(s, 'web.app/web2')).toBe(DOWN);
          expect(op(s, 'redis.master/redis2')).toBe(DOWN);
          expect(op(s, 'redis.master/redis1')).toBe(UP);
        }
      } finally {
        stop = true;
        await writer;
      }
      expect(writes).toBeGreaterThan(5);
      expect(failures).toEqual([]);
    }, 90_000);

    it('a server drained live stays drained across an apply', async () => {
      const r = await agent.api.send<{ applied: string }>('POST', '/v1/servers/web/web1', {
        base: await desired(),
        change: { state: 'drain' },
      });
      expect(r.applied).toBe('live');
      await unrelatedApply();
      const s = await state();
      const web1 = s.get('web.app/web1');
      expect(web1 && (web1.adminState & FORCED_DRAIN || web1.userWeight === 0)).toBeTruthy();
      expect(op(s, 'web.app/web1')).toBe(UP);
    }, 60_000);

    it('takes durations as HAProxy users write them, and names the field when it cannot', async () => {
      expect(await agent.configOnDisk()).toMatch(/backend redis\.master\n(?:.*\n)*?.*inter 500ms/);
      const e = await agent.api
        .send('POST', '/v1/services?dryRun=true', {
          base: await desired(),
          template: 'redis-master',
          params: {
            name: 'redis2',
            port: await freePort(),
            servers: [{ address: '127.0.0.1', port: master.port }],
            checkIntervalMs: '5 minutes',
          },
        })
        .then(
          () => null,
          (err: unknown) => err,
        );
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).body.error.fields).toContainEqual({
        path: 'params.checkIntervalMs',
        message: 'must be a duration like 500ms, 30s, 5m or 1h',
      });
    });

    // How soon the switch is followed is a figure (npm run bench -- reload-state), not a bound here.
    it('follows a Redis role switch, with the old master out', async () => {
      await switchMaster(master, replica);
      await until(
        'the switch is followed',
        (s) => op(s, 'redis.master/redis2') === UP && op(s, 'redis.master/redis1') === DOWN,
      );
      expect(await redisCommand(redisPort, 'SET', 'after', 'switch')).toMatch(/^\+OK/);
    }, 60_000);
  },
);
