import type { EventQuery } from './statsQuery.js';

/**
 * One entry of the event timeline (GET /v1/events, the live stream, the console's recent events
 * and VRRP transitions): what happened on the unit, newest first.
 */
export type EventKind = NonNullable<EventQuery['kind']>;
export type Severity = 'info' | 'warning' | 'error';

export interface EventInput {
  at: number;
  kind: EventKind;
  severity: Severity;
  /** What it is about: `generation 12`, `server web.app/s1`, `unit lb1`. */
  subject: string;
  message: string;
  data?: Record<string, unknown>;
}

export interface EventRow extends EventInput {
  id: number;
}
