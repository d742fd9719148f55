import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpGet } from '@tandem/agent/testing/agentProcess';
import type { EventRow, StatusResponse } from '@tandem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyRuntimes } from '../support/haproxyRuntimes.js';
import { httpLogLine, sendLines } from '../support/logLines.js';
import { startWebUnit, type WebUnit } from '../support/webUnit.js';

/**
 * The wall clock stepping under a running unit (issue 20), as NTP's first answer steps it on a
 * board without a battery or an operator's `date -s` does: the agent and its HAProxy run with
 * libfaketime, whose offset the test rewrites (the monotonic clock is left alone, as a real step
 * leaves it). A day forward, then a day and two hours back: each step is said on the timeline
 * with its size, and through both the unit serves, applies, samples on the new clock and stores
 * log lines. (Sessions and sign-in throttles across steps: auth.test.ts, loginThrottle.test.ts.)
 */
const LIB = ['x86_64-linux-gnu', 'aarch64-linux-gnu']
  .map((arch) => `/usr/lib/${arch}/faketime/libfaketimeMT.so.1`)
  .find((p) => existsSync(p));
const host = haproxyRuntimes()[0]!;
const DAY = 86_400_000;

interface Snapshot {
  at: number | null;
}

describe.skipIf(!LIB)('the wall clock stepping under a running unit', () => {
  let dir = '';
  let clockFile = '';
  let unit: WebUnit;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tandem-clock-'));
    clockFile = join(dir, 'offset');
    await writeFile(clockFile, '+0');
    unit = await startWebUnit(host, 'clock-backend', {
      env: {
        LD_PRELOAD: LIB ?? '',
        FAKETIME_TIMESTAMP_FILE: clockFile,
        // Read the offset again at most once a second; only the wall clock moves.
        FAKETIME_CACHE_DURATION: '1',
        DONT_FAKE_MONOTONIC: '1',
      },
    });
    await unit.putWeb('s0', 'before any step');
    await unit.agent.api.send('POST', '/v1/apply', {});
  });
  afterAll(async () => {
    await unit?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** Waits for what the agent says, up to 60 s (a busy machine, a sampler tick). */
  const POLL = { timeout: 60_000, interval: 200 };

  const clockEvents = async () =>
    (await unit.agent.api.get<{ items: EventRow[] }>('/v1/events?kind=agent&limit=50')).items
      .filter((e) => e.subject === 'clock')
      .map((e) => e.message.split(':')[0]);

  /** After a step to `offsetMs` from the real time: what must hold whatever the clock says. */
  async function stillWhole(offsetMs: number, label: string) {
    // The sampler's newest sample carries the new time.
    await expect
      .poll(async () => {
        const { at } = await unit.agent.api.get<Snapshot>('/v1/stats');
        return Math.abs((at ?? 0) - (Date.now() + offsetMs));
      }, POLL)
      .toBeLessThan(30_000);
    expect((await httpGet(unit.port)).body).toContain('clock-backend');
    // An apply goes through and runs.
    const g = await unit.putWeb(`s-${label}`, `after ${label}`);
    await unit.agent.api.send('POST', '/v1/apply', {});
    const status = await unit.agent.api.get<StatusResponse>('/v1/status');
    expect(status.running).toBe(g.number);
    expect((await httpGet(unit.port)).status).toBe(200);
    // Log lines keep being stored and found.
    await sendLines(unit.agent.logPort, [httpLogLine(`clock-${label}`)]);
    await expect
      .poll(
        async () =>
          (await unit.agent.api.get<{ items: unknown[] }>(`/v1/logs?q=clock-${label}`)).items
            .length,
        POLL,
      )
      .toBe(1);
  }

  it('says each step with its size and keeps serving, applying, sampling and storing logs', async () => {
    await stillWhole(0, 'start');
    expect(await clockEvents()).toEqual([]);

    await writeFile(clockFile, '+1d');
    await expect.poll(clockEvents, POLL).toEqual(['the clock moved forward by 1 d 0 h']);
    await stillWhole(DAY, 'forward');

    await writeFile(clockFile, '-2h');
    // In any order: events stored before this step carry later times than it does.
    await expect
      .poll(async () => (await clockEvents()).sort(), POLL)
      .toEqual(['the clock moved back by 1 d 2 h', 'the clock moved forward by 1 d 0 h']);
    await stillWhole(-2 * 3_600_000, 'back');
    const status = await unit.agent.api.get<StatusResponse>('/v1/status');
    expect(status.drift).toEqual([]);
  });
});
