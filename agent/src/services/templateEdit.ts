import { isDeepStrictEqual } from 'node:util';
import type { Service } from '@tandem/core';

type Origin = Service['template'];
type Server = Service['backends'][number]['servers'][number];

/** Two services came from one instantiation of a template: same template, same parameters. */
export function sameOrigin(a: Origin, b: Origin): boolean {
  return a !== undefined && b !== undefined && isDeepStrictEqual(a, b);
}

/** The fields an operator changes live (drain for a deploy, weight for a canary). */
const OPERATOR_FIELDS = ['state', 'weight'] as const;

function serversByPlace(services: readonly Service[]): Map<string, Server> {
  const out = new Map<string, Server>();
  for (const s of services)
    for (const b of s.backends)
      for (const sv of b.servers) out.set(`${s.name}/${b.name}/${sv.name}`, sv);
  return out;
}

/**
 * A template edit rebuilds its services from the parameters, which know nothing of what an
 * operator changed live since. For each server that keeps its place (service, backend and server
 * name), a field the operator changed (it differs from what the old parameters built) is kept,
 * unless the edit itself changes what the template builds for that field.
 */
export function carryOperatorChanges(
  built: Service[],
  current: readonly Service[],
  builtBefore: readonly Service[],
): Service[] {
  const now = serversByPlace(current);
  const before = serversByPlace(builtBefore);
  return built.map((s) => ({
    ...s,
    backends: s.backends.map((b) => ({
      ...b,
      servers: b.servers.map((sv) => {
        const place = `${s.name}/${b.name}/${sv.name}`;
        const live = now.get(place);
        const was = before.get(place);
        if (!live || !was) return sv;
        const next = { ...sv };
        for (const f of OPERATOR_FIELDS)
          if (live[f] !== was[f] && sv[f] === was[f]) Object.assign(next, { [f]: live[f] });
        return next;
      }),
    })),
  }));
}
