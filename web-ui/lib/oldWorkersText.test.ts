import { expect, it } from 'vitest';
import { oldWorkersText } from './oldWorkersText';

const w = (pid: number, connections: number, stopsAt: number | null) => ({
  pid,
  connections,
  retiredAt: null,
  stopsAt,
});

it('names previous workers that still hold connections, and until when at most', () => {
  const time = (ms: number) => `t${ms}`;
  expect(oldWorkersText([], time)).toBeUndefined();
  expect(oldWorkersText([w(1, 0, 5)], time)).toBeUndefined();
  expect(oldWorkersText([w(1, 200, 5_000), w(2, 3, 9_000), w(3, 0, 1)], time)).toBe(
    '2 previous worker(s) finishing 203 connection(s), until t9000 at most',
  );
  expect(oldWorkersText([w(1, 1, null)], time)).toBe(
    '1 previous worker(s) finishing 1 connection(s)',
  );
});
