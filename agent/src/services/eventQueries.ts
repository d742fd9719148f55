import type { EventQuery, EventRow } from '@tandem/core';
import type { EventFilter, EventStore } from '../store/eventStore.js';
import { pageOf, type Follow, type Page } from './page.js';

/** Events a resumed stream sends from the store before it goes live. */
const BACKFILL_LIMIT = 1000;

function eventFilter(q: EventQuery): EventFilter {
  return {
    limit: q.limit,
    ...(q.kind !== undefined ? { kind: q.kind } : {}),
    ...(q.from !== undefined ? { from: q.from } : {}),
    ...(q.to !== undefined ? { to: q.to } : {}),
    ...(q.before !== undefined ? { before: q.before } : {}),
    ...(q.after !== undefined ? { after: q.after } : {}),
  };
}

/** The event timeline's questions: a page (newest first) and a live stream that can resume. */
export function createEventQueries(o: { events: Pick<EventStore, 'query' | 'subscribe'> }) {
  return {
    page(q: EventQuery): Page<EventRow> {
      const filter = eventFilter(q);
      return pageOf(o.events.query(filter), filter.limit);
    },
    /**
     * Events of the query's kind: first those after `after` (a reconnect's Last-Event-ID), then
     * each new one, until the function the start returns stops it.
     */
    follow(q: EventQuery, after: number | undefined): Follow<EventRow> {
      const filter = eventFilter(q);
      const from = after ?? filter.after;
      return (send) => {
        // Backfill and subscribe in one synchronous step: no event can land between them.
        if (from !== undefined)
          for (const e of o.events.query({ ...filter, after: from, limit: BACKFILL_LIMIT }))
            send(e);
        return o.events.subscribe((e) => {
          if (filter.kind === undefined || e.kind === filter.kind) send(e);
        });
      };
    },
  };
}
export type EventQueries = ReturnType<typeof createEventQueries>;
