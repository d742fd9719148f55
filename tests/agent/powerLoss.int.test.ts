import { unixCommand } from '@tandem/agent/adapters/unixCommand';
import { APPLY_PHASES } from '@tandem/agent/services/apply';
import { checkStores } from '@tandem/agent/testing/storeCheck';
import { httpGet, type AgentHandle } from '@tandem/agent/testing/agentProcess';
import type { GenerationSummary } from '@tandem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyRuntimes, type HaproxyRuntime } from '../support/haproxyRuntimes.js';
import { startWebUnit, type WebUnit } from '../support/webUnit.js';
import { httpLogLine, sendLines } from '../support/logLines.js';

/**
 * The power-loss loop (issue 20): the agent is killed with SIGKILL again and again, at a named
 * step of an apply (TANDEM_CRASH_AT) or at a random instant while live server changes commit and
 * log lines stream into the ingest, and each time, before it starts again, its databases are read
 * as the next start will find them. Every one passes integrity_check and holds every generation
 * the API acknowledged (same number, same hash); after the restart the running generation is a
 * committed one at least as new as the last acknowledged as running, HAProxy's worker reports it,
 * its file is on disk, and HAProxy serves. At the end the ingest still stores what it is sent.
 *
 * TANDEM_POWER_LOSS_RUNS sets the total across the HAProxy runtimes (200 in CI; `npm run
 * soak:power-loss -w @tandem/tests` runs 2000). A kill -9 loses the process, not the kernel's page
 * cache: the image's boot test pulls the power of a whole machine for that.
 */
const runtimes = haproxyRuntimes();
const TOTAL = Number(process.env.TANDEM_POWER_LOSS_RUNS ?? 200);
const RUNS = Math.ceil(TOTAL / runtimes.length);
/** The named crash points: each step of an apply, and a live change's commands sent. */
const POINTS = [...APPLY_PHASES, 'live-sent'] as const;
const SEED = Number(process.env.TANDEM_POWER_LOSS_SEED ?? Date.now() % 1_000_000);

/** A small seeded generator (mulberry32): a failing run can be repeated with its seed. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** HAProxy-shaped log lines, written to the agent's log port until stopped (the agent may be gone). */
function streamLines(port: number) {
  let stop = false;
  let sent = 0;
  // Lines refused while the agent is down are simply not counted.
  const one = () =>
    sendLines(
      port,
      Array.from({ length: 100 }, (_, i) => httpLogLine(`power/${sent + i}`, 1000 + i)),
    ).then(
      () => void (sent += 100),
      () => undefined,
    );
  const done = (async () => {
    while (!stop) {
      await one();
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return {
    async stop() {
      stop = true;
      await done;
    },
  };
}

describe.each(runtimes.map((rt) => [rt.label, rt] as const))(
  'power loss on the real %s',
  (_l, rt: HaproxyRuntime) => {
    let unit: WebUnit;
    let agent: AgentHandle;
    let port: number;

    beforeAll(async () => {
      unit = await startWebUnit(rt, 'power-backend');
      ({ agent, port } = unit);
    });

    afterAll(() => unit?.stop());

    const status = () => unit.status();
    const putService = (server: string, message: string) => unit.putWeb(server, message);

    it(`keeps every acknowledged generation through ${RUNS} kills of the agent (seed ${SEED})`, async () => {
      const rand = random(SEED);
      /** Every generation the API said it committed, and the newest it said runs. */
      const acknowledged = new Map<number, string>();
      let acknowledgedRunning = 0;
      const acknowledge = (g: Pick<GenerationSummary, 'number' | 'hash'>, running: boolean) => {
        acknowledged.set(g.number, g.hash);
        if (running) acknowledgedRunning = Math.max(acknowledgedRunning, g.number);
      };

      const first = await putService('s0', 'power loss: first');
      await agent.api.send('POST', '/v1/apply', {});
      acknowledge(first, true);
      const lines = streamLines(agent.logPort);
      const outcomes: Record<string, number> = {};
      let server = 's0';
      // Two of three rounds die at a named step of an apply, cycling through them; the third at a
      // random instant while live server changes commit (and lines stream throughout).
      const phaseOf = (i: number) =>
        i % 3 === 2 ? null : POINTS[(i - Math.floor(i / 3)) % POINTS.length]!;
      /** A live change of the one server's weight; null once the agent is gone. */
      const weightChange = (i: number, w: number) =>
        status()
          .then((s) =>
            agent.api.send<{ generation: GenerationSummary; applied: string }>(
              'POST',
              `/v1/servers/web/${server}`,
              {
                base: s.desired,
                change: { weight: 1 + (w % 200) },
                message: `power loss ${i}: weight ${w}`,
              },
            ),
          )
          .catch(() => null);
      await agent.kill9();
      const firstPhase = phaseOf(0);
      await agent.start(firstPhase ? { TANDEM_CRASH_AT: firstPhase } : {});
      try {
        for (let i = 0; i < RUNS; i++) {
          // The agent runs already, started with this round's crash point (one start per round).
          const phase = phaseOf(i);
          let interruptedLive = false;
          if (phase === 'live-sent') {
            // Live only when nothing waits to be applied (else the change goes out by an apply).
            if ((await status()).pending) await agent.api.send('POST', '/v1/apply', {});
            if ((await weightChange(i, i)) !== null)
              throw new Error(
                `round ${i}: the live change finished instead of dying after it was sent`,
              );
            await agent.exited();
            interruptedLive = true;
          } else if (phase) {
            server = `s${i}`;
            acknowledge(await putService(server, `power loss ${i}: ${phase}`), false);
            await agent.api.send('POST', '/v1/apply', {}).then(
              () => {
                throw new Error(`round ${i}: the apply finished instead of dying at ${phase}`);
              },
              () => undefined,
            );
            await agent.exited();
          } else {
            const changes = (async () => {
              for (let w = 1; ; w++) {
                const r = await weightChange(i, w);
                if (!r) return;
                acknowledge(r.generation, true);
              }
            })();
            await new Promise((r) => setTimeout(r, Math.floor(rand() * 600)));
            await agent.kill9();
            await changes;
          }

          // What the next start will find: sound files holding everything acknowledged.
          const found = checkStores(agent.stateDir);
          for (const [file, result] of Object.entries(found.integrity))
            expect(`${file}: ${result}`, `round ${i}`).toBe(`${file}: ok`);
          for (const [n, hash] of acknowledged)
            expect(found.generations.get(n), `round ${i}: generation ${n}`).toBe(hash);

          const next = phaseOf(i + 1);
          await agent.start(next ? { TANDEM_CRASH_AT: next } : {});
          const s = await status();
          expect(s.running, `round ${i}`).not.toBeNull();
          expect(found.generations.has(s.running!), `round ${i}: running ${s.running}`).toBe(true);
          expect(s.running!, `round ${i}`).toBeGreaterThanOrEqual(acknowledgedRunning);
          if (interruptedLive) {
            // HAProxy took the commands; the store had not said so yet: the start finishes it.
            const latest = Math.max(...found.generations.keys());
            expect(s.running, `round ${i}`).toBe(latest);
            expect(agent.log()).toContain(
              `an interrupted live change of generation ${latest} was finished; marked running`,
            );
            acknowledge({ number: latest, hash: found.generations.get(latest)! }, true);
          }
          // The worker runs the generation it last loaded, with live server changes on top: what
          // HAProxy runs is the running generation, with no difference the agent can see.
          const info = await unixCommand(`${agent.stateDir}/run/master.sock`, '@1 show info');
          const loaded = Number(/description: generation (\d+)/.exec(info)?.[1]);
          expect(found.generations.has(loaded), `round ${i}: loaded ${loaded}`).toBe(true);
          expect(loaded, `round ${i}`).toBeLessThanOrEqual(s.running!);
          expect(s.drift, `round ${i}`).toEqual([]);
          expect(await agent.configOnDisk(), `round ${i}`).toBe(
            await agent.api.text(`/v1/config/haproxy.cfg?generation=${s.running}`),
          );
          expect((await httpGet(port)).body, `round ${i}`).toBe('power-backend');
          const outcome = phase ?? 'random instant';
          outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        }
      } finally {
        await lines.stop();
      }

      // The ingest still stores what it is sent after all those kills.
      const marker = `powerlossend${SEED}`;
      await sendLines(agent.logPort, [httpLogLine(marker)]);
      await expect
        .poll(
          async () =>
            (await agent.api.get<{ items: unknown[] }>(`/v1/logs?q=${marker}`)).items.length,
          { timeout: 30_000, interval: 100 },
        )
        .toBe(1);
      console.log(
        `power loss (${rt.label}, seed ${SEED}): ${RUNS} kills, ${acknowledged.size} acknowledged generations all kept; ${Object.entries(
          outcomes,
        )
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}; live changes finished at start: ${
          agent.log().match(/an interrupted live change of generation \d+ was finished/g)?.length ??
          0
        }`,
      );
    }, 1_800_000);
  },
);
