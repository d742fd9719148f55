/**
 * Which rows of a long list to put in the DOM: those in the viewport plus a margin either
 * side, and the blank space above and below that keeps the scrollbar true. Pure (the log table
 * renders 10,000 rows as a few dozen elements with it), so it is unit-tested.
 */
export function virtualWindow(p: {
  count: number;
  rowHeight: number;
  scrollTop: number;
  viewport: number;
  overscan?: number;
}): { start: number; end: number; padTop: number; padBottom: number } {
  const overscan = p.overscan ?? 10;
  const first = Math.floor(Math.max(0, p.scrollTop) / p.rowHeight);
  const visible = Math.ceil(p.viewport / p.rowHeight) + 1;
  const start = Math.max(0, Math.min(p.count, first - overscan));
  const end = Math.max(start, Math.min(p.count, first + visible + overscan));
  return { start, end, padTop: start * p.rowHeight, padBottom: (p.count - end) * p.rowHeight };
}
