import { describe, expect, it } from 'vitest';
import { createDroppedLogs } from './droppedLogs.js';

describe('dropped log lines across workers', () => {
  it('counts what workers drop after the start, through reloads and exits', () => {
    const d = createDroppedLogs();
    // A worker that had already dropped 5 before the agent started: not news.
    expect(d.update([{ pid: 10, dropped: 5 }])).toEqual({ total: 0, added: 0 });
    expect(d.update([{ pid: 10, dropped: 8 }])).toEqual({ total: 3, added: 3 });
    // A reload: the new worker starts at 0, the old one finishes with 9.
    expect(
      d.update([
        { pid: 11, dropped: 2 },
        { pid: 10, dropped: 9 },
      ]),
    ).toEqual({ total: 6, added: 3 });
    // The old worker exits: its count stays in the total.
    expect(d.update([{ pid: 11, dropped: 2 }])).toEqual({ total: 6, added: 0 });
    expect(d.update([{ pid: 11, dropped: 4 }])).toEqual({ total: 8, added: 2 });
  });

  it('ignores unreadable counts', () => {
    const d = createDroppedLogs();
    d.update([{ pid: 1, dropped: 0 }]);
    expect(d.update([{ pid: 1, dropped: Number.NaN }])).toEqual({ total: 0, added: 0 });
  });
});
