/**
 * The rendered `global` section says which generation it is (`description generation N`), and
 * HAProxy's `show info` repeats it for the running worker. The agent reads it back to know what
 * runs; this file is the one place that spells the convention.
 */
export function generationDescription(generation: number): string {
  return `generation ${generation}`;
}

/** The generation named by a worker's description, or null when it names none. */
export function generationOfDescription(description: string | undefined): number | null {
  const m = /^generation (\d+)$/.exec(description ?? '');
  return m ? Number(m[1]) : null;
}
