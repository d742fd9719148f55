import { EventQuery, type EventRow } from '@tandem/core';
import { describe, expect, it } from 'vitest';
import type { EventFilter } from '../store/eventStore.js';
import { createEventQueries } from './eventQueries.js';

const event = (id: number, kind: EventRow['kind'] = 'apply') => ({ id, kind }) as EventRow;

function fakeEvents(rows: EventRow[]) {
  const listeners = new Set<(e: EventRow) => void>();
  const asked: EventFilter[] = [];
  return {
    asked,
    listeners,
    query(f: EventFilter) {
      asked.push(f);
      const after = f.after;
      const kind = rows.filter((e) => f.kind === undefined || e.kind === f.kind);
      return after !== undefined
        ? kind.filter((e) => e.id > after).slice(0, f.limit)
        : kind.reverse().slice(0, f.limit);
    },
    subscribe(l: (e: EventRow) => void) {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
  };
}

describe('event queries', () => {
  it('pages newest first with a cursor only when the page was full', () => {
    const q = createEventQueries({ events: fakeEvents([event(1), event(2), event(3)]) });
    expect(q.page(EventQuery.parse({ limit: '3' })).next).toBe(1);
    expect(q.page(EventQuery.parse({ limit: '4' })).next).toBeNull();
  });

  it('resumes after the last id seen, then goes live with the same kind filter', () => {
    const events = fakeEvents([event(1, 'vrrp'), event(2, 'apply'), event(3, 'vrrp')]);
    const sent: number[] = [];
    const stop = createEventQueries({ events }).follow(
      EventQuery.parse({ kind: 'vrrp' }),
      1,
    )((e) => sent.push(e.id));
    for (const l of events.listeners) {
      l(event(4, 'apply'));
      l(event(5, 'vrrp'));
    }
    stop();
    expect(events.listeners.size).toBe(0);
    expect(sent).toEqual([3, 5]);
  });

  it('goes live at once without a backfill when the client saw nothing', () => {
    const events = fakeEvents([event(1)]);
    createEventQueries({ events }).follow(EventQuery.parse({}), undefined)(() => undefined);
    expect(events.asked).toEqual([]);
  });
});
