import { describe, expect, it } from 'vitest';
import type { RingTap } from '../adapters/ringTap.js';
import { createReloadLogTap } from './reloadLogTap.js';

/** A scripted ring tap and forwarder: the test says which lines each one sees, and when. */
function world() {
  const pushed: string[] = [];
  const eagerCalls: boolean[] = [];
  const forwarder = { open: true, last: null as string | null };
  let conns: number | null = 1;
  let emit: (lines: string[]) => void = () => undefined;
  let endTap: () => void = () => undefined;
  let closed = 0;
  const tap: RingTap = {
    pid: 42,
    onLines: (cb) => (emit = cb),
    onEnd: (cb) => (endTap = cb),
    close: () => {
      closed++;
      endTap();
    },
  };
  const t = createReloadLogTap({
    open: () => Promise.resolve(tap),
    ingest: {
      lastLineOf: (pid) => (pid === 42 ? forwarder.last : null),
      forwarding: (pid) => pid === 42 && forwarder.open,
      push: (lines) => void pushed.push(...lines),
      readEagerly: (on) => void eagerCalls.push(on),
    },
    connections: () => Promise.resolve(conns),
    log: () => undefined,
    pollMs: 5,
  });
  const tick = () => new Promise((r) => setTimeout(r, 30));
  return {
    t,
    pushed,
    eagerCalls,
    forwarder,
    emit: (...l: string[]) => emit(l),
    setConns: (n: number | null) => (conns = n),
    closed: () => closed,
    tick,
  };
}

describe('reload log tap', () => {
  it('passes on only what the forwarder did not deliver before it closed', async () => {
    const w = world();
    await w.t.beforeReload();
    // Both see a and b; the forwarder closes at the soft stop after b; c and d come only here.
    w.emit('a', 'b');
    w.forwarder.last = 'b';
    w.t.afterReload(42);
    w.emit('c');
    await w.tick();
    expect(w.pushed).toEqual([]); // the forwarder is still open: c may yet arrive there
    w.forwarder.open = false;
    await w.tick();
    expect(w.pushed).toEqual(['c']);
    w.emit('d');
    expect(w.pushed).toEqual(['c', 'd']);
  });

  it('passes on everything when the forwarder delivered nothing since the tap attached', async () => {
    const w = world();
    w.forwarder.last = 'before the tap';
    await w.t.beforeReload();
    w.emit('x', 'y');
    w.forwarder.open = false;
    w.t.afterReload(42);
    await w.tick();
    expect(w.pushed).toEqual(['x', 'y']);
  });

  it('lets the old worker go once it has no connections and the tap is quiet', async () => {
    const w = world();
    await w.t.beforeReload();
    w.forwarder.open = false;
    w.t.afterReload(42);
    await w.tick();
    expect(w.closed()).toBe(0);
    expect(w.t.open()).toEqual([42]);
    // The ingest reads without pacing from before the tap attaches until the last tap is done.
    expect(w.eagerCalls).toEqual([true]);
    w.setConns(0);
    await w.tick();
    expect(w.closed()).toBe(1);
    expect(w.t.open()).toEqual([]);
    expect(w.eagerCalls).toEqual([true, false]);
  });

  it('lets go at once when the reload did not happen (the worker stays current)', async () => {
    const w = world();
    await w.t.beforeReload();
    w.emit('a');
    w.t.cancel();
    expect(w.closed()).toBe(1);
    expect(w.t.open()).toEqual([]);
    expect(w.eagerCalls).toEqual([true, false]);
    // Its lines go through the forwarder, which still runs: nothing from the tap.
    expect(w.pushed).toEqual([]);
  });

  it('carries on without a tap when the worker cannot be reached', async () => {
    const logged: string[] = [];
    const t = createReloadLogTap({
      open: () => Promise.reject(new Error('no stats socket')),
      ingest: {
        lastLineOf: () => null,
        forwarding: () => false,
        push: () => undefined,
        readEagerly: () => undefined,
      },
      connections: () => Promise.resolve(null),
      log: (m) => void logged.push(m),
    });
    await t.beforeReload();
    t.afterReload(7);
    expect(t.open()).toEqual([]);
    expect(logged.join('\n')).toMatch(/log tap not attached: no stats socket/);
  });
});
