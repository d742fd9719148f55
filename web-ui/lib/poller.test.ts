import { expect, it } from 'vitest';
import { startPoller } from './poller';

/** Manual timers: the test says when time passes. */
function clock() {
  const pending: { cb: () => void; ms: number }[] = [];
  return {
    timers: {
      set: (cb: () => void, ms: number) => {
        const t = { cb, ms };
        pending.push(t);
        return t;
      },
      clear: (t: unknown) => {
        const i = pending.indexOf(t as (typeof pending)[number]);
        if (i >= 0) pending.splice(i, 1);
      },
    },
    pending,
    fire: () => pending.shift()?.cb(),
  };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

it('never overlaps calls: the next waits until the slow one has answered', async () => {
  const c = clock();
  let inFlight = 0;
  let most = 0;
  let release: () => void = () => undefined;
  const stop = startPoller(
    () => {
      inFlight++;
      most = Math.max(most, inFlight);
      return new Promise<void>((r) => (release = () => (inFlight--, r())));
    },
    2_000,
    c.timers,
  );
  await settle();
  // The agent is slow: nothing is scheduled while the first call is out.
  expect(c.pending).toHaveLength(0);
  release();
  await settle();
  expect(c.pending.map((p) => p.ms)).toEqual([2_000]);
  c.fire();
  await settle();
  expect(most).toBe(1);
  stop();
  release();
  await settle();
  expect(c.pending).toHaveLength(0);
});

it('keeps polling after a failed call, and stops when told', async () => {
  const c = clock();
  let calls = 0;
  const stop = startPoller(
    () => (calls++, Promise.reject(new Error('agent away'))),
    1_000,
    c.timers,
  );
  await settle();
  c.fire();
  await settle();
  expect(calls).toBe(2);
  stop();
  expect(c.pending).toHaveLength(0);
});
