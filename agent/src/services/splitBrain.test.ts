import { describe, expect, it } from 'vitest';
import { watchSplitBrain } from './splitBrain.js';

function world(answers: (boolean | null)[]) {
  let masters = [{ name: 'edge', address: '198.18.0.100' }];
  const changes: [string, boolean][] = [];
  const w = watchSplitBrain({
    intervalMs: 1_000_000,
    masters: () => masters,
    probe: () => Promise.resolve(answers.length > 0 ? (answers.shift() as boolean | null) : false),
    onChange: (name, on) => changes.push([name, on]),
  });
  return { w, changes, setMasters: (m: typeof masters) => (masters = m) };
}

describe('split-brain watch', () => {
  it('raises after two answered probes in a row and clears on a clean one', async () => {
    const { w, changes } = world([true, false, true, true, true, false]);
    for (let i = 0; i < 4; i++) await w.tick();
    expect(changes).toEqual([['edge', true]]);
    expect(w.active()).toEqual(['edge']);
    await w.tick();
    await w.tick();
    expect(changes).toEqual([
      ['edge', true],
      ['edge', false],
    ]);
  });

  it('ignores probes that could not run and clears when the unit stops being master', async () => {
    const { w, changes, setMasters } = world([true, null, true]);
    for (let i = 0; i < 3; i++) await w.tick();
    expect(changes).toEqual([['edge', true]]);
    setMasters([]);
    await w.tick();
    expect(changes.at(-1)).toEqual(['edge', false]);
  });

  it('does not probe IPv6 VIPs (ARP is IPv4)', async () => {
    const { w, changes, setMasters } = world([true, true]);
    setMasters([{ name: 'v6', address: '2001:db8::1' }]);
    await w.tick();
    await w.tick();
    expect(changes).toEqual([]);
  });
});
