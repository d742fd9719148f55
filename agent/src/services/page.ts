/**
 * One page of a newest-first list (logs, events) and the cursor to the next: the id to pass as
 * `before`, or null when this page was the last.
 */
export interface Page<T> {
  items: T[];
  next: number | null;
}

export function pageOf<T extends { id: number }>(items: T[], limit: number): Page<T> {
  const last = items.at(-1);
  return { items, next: items.length === limit && last ? last.id : null };
}

/**
 * A live stream, validated and ready: start it with where to send each item; the function it
 * returns stops it (the client went away).
 */
export type Follow<T> = (send: (item: T) => void) => () => void;
