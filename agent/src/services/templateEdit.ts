import { isDeepStrictEqual } from 'node:util';
import type { Service } from '@tandem/core';

type Origin = Service['template'];

/** Two services came from one instantiation of a template: same template, same parameters. */
export function sameOrigin(a: Origin, b: Origin): boolean {
  return a !== undefined && b !== undefined && isDeepStrictEqual(a, b);
}

/**
 * Server states are operational (an operator drained web2 for a deploy), not part of the
 * template's design: a template edit keeps them for every server that keeps its place
 * (same service, backend and server name), and new servers start ready.
 */
export function carryServerStates(built: Service[], old: Service[]): Service[] {
  const states = new Map<string, Service['backends'][number]['servers'][number]['state']>();
  for (const s of old)
    for (const b of s.backends)
      for (const sv of b.servers) states.set(`${s.name}/${b.name}/${sv.name}`, sv.state);
  return built.map((s) => ({
    ...s,
    backends: s.backends.map((b) => ({
      ...b,
      servers: b.servers.map((sv) => ({
        ...sv,
        state: states.get(`${s.name}/${b.name}/${sv.name}`) ?? sv.state,
      })),
    })),
  }));
}
