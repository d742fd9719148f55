import { z } from 'zod';
import { formatDuration } from '../grammar/text.js';
import { withInputDefaults } from './hints.js';
import { Service } from './service.js';

/** One field of the model as the console's reference page lists it. */
export interface ReferenceField {
  /** `binds.port`: the field's place in a service, list indexes left out. */
  path: string;
  /** `integer`, `string`, `list of object`, `"http" or "tcp"` … */
  type: string;
  /** What it must be beyond its type: `1 to 65535`, `pattern ^…$`, `at most 32`. */
  rule: string;
  required: boolean;
  default?: unknown;
  label?: string;
  help?: string;
  unit?: string;
}

type Node = Record<string, unknown>;
const isNode = (x: unknown): x is Node => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The words for a JSON Schema node's own constraints (not its children's). */
function ruleOf(n: Node): string {
  const parts: string[] = [];
  const range = (lo: unknown, hi: unknown, what: string) => {
    if (lo !== undefined && hi !== undefined) parts.push(`${what}${String(lo)} to ${String(hi)}`);
    else if (lo !== undefined) parts.push(`${what}at least ${String(lo)}`);
    else if (hi !== undefined) parts.push(`${what}at most ${String(hi)}`);
  };
  range(n.minimum, n.maximum, '');
  range(n.minLength, n.maxLength, 'length ');
  range(n.minItems, n.maxItems, 'items ');
  if (typeof n.pattern === 'string') parts.push(`pattern ${n.pattern}`);
  return parts.join('; ');
}

/** The type in words: alternatives joined with "or", a list of what it holds. */
function typeOf(n: Node, defs: Node): string {
  const r = resolve(n, defs);
  if (Array.isArray(r.enum)) return r.enum.map((v) => JSON.stringify(v)).join(' or ');
  if (r.const !== undefined) return JSON.stringify(r.const);
  const alts = (r.anyOf ?? r.oneOf) as unknown;
  if (Array.isArray(alts))
    return [...new Set(alts.filter(isNode).map((a) => typeOf(a, defs)))].join(' or ');
  if (r.type === 'array' && isNode(r.items)) return `list of ${typeOf(r.items, defs)}`;
  return typeof r.type === 'string' ? r.type : 'any';
}

/** A `$ref` to the schema's `$defs` (zod emits them for recursive or shared parts). */
function resolve(n: Node, defs: Node): Node {
  const ref = n.$ref;
  if (typeof ref !== 'string') return n;
  const target = defs[ref.replace(/^#\/\$defs\//, '')];
  return isNode(target) ? { ...target, ...n, $ref: undefined } : n;
}

/**
 * A JSON Schema (as `z.toJSONSchema` makes it, with the console's `ui` hints) flattened into one
 * row per field, depth first: objects list their properties, lists their items' fields, and
 * alternatives (a bind's address or VIP, a condition's kinds) every field of each, once.
 */
export function referenceOf(schema: unknown): ReferenceField[] {
  if (!isNode(schema)) return [];
  const defs = isNode(schema.$defs) ? schema.$defs : {};
  const rows = new Map<string, ReferenceField>();
  // The $refs being walked: one met again inside itself is a recursive part, listed once.
  const open = new Set<string>();
  /** `own`: false for a list's items, whose row is the list's own. */
  const walk = (raw: Node, path: string, required: boolean, own = true): void => {
    const ref = typeof raw.$ref === 'string' ? raw.$ref : null;
    if (ref !== null && open.has(ref)) return;
    const n = resolve(raw, defs);
    if (path && own) {
      const ui = isNode(n.ui) ? n.ui : {};
      // A duration is kept in ms but typed as people say it (DurationMs): the row says both.
      const duration =
        ui.unit === 'duration' && typeof n.minimum === 'number' && typeof n.maximum === 'number';
      const row: ReferenceField = {
        path,
        type: duration ? 'duration (500ms, 30s, 5m, 1h) or milliseconds' : typeOf(n, defs),
        rule: duration
          ? `${formatDuration(n.minimum as number)} to ${formatDuration(n.maximum as number)}`
          : ruleOf(n),
        required,
        ...(n.default !== undefined ? { default: n.default } : {}),
        ...(typeof ui.label === 'string' ? { label: ui.label } : {}),
        ...(typeof ui.help === 'string' ? { help: ui.help } : {}),
        ...(typeof ui.unit === 'string' ? { unit: ui.unit } : {}),
      };
      const had = rows.get(path);
      // Each alternative of a union names its own kind ("host", "path" …): the row says all.
      if (!had) rows.set(path, row);
      else if (!had.type.split(' or ').includes(row.type)) had.type += ` or ${row.type}`;
    }
    if (ref !== null) open.add(ref);
    const alts = (n.anyOf ?? n.oneOf ?? n.allOf) as unknown;
    if (Array.isArray(alts)) for (const a of alts.filter(isNode)) walk(a, path, required, own);
    if (n.type === 'array' && isNode(n.items)) walk(n.items, path, required, false);
    if (isNode(n.properties)) {
      const req = new Set(Array.isArray(n.required) ? (n.required as string[]) : []);
      for (const [k, v] of Object.entries(n.properties))
        if (isNode(v)) walk(v, path ? `${path}.${k}` : k, req.has(k));
    }
    if (ref !== null) open.delete(ref);
  };
  walk(schema, '', true);
  return [...rows.values()];
}

/** Every field of a service, for the console's model reference. */
export const serviceReference = (): ReferenceField[] =>
  referenceOf(withInputDefaults(z.toJSONSchema(Service, { io: 'input', unrepresentable: 'any' })));

/**
 * The reference row an error's field path points at: `config.services[3].backends[0].servers[1]
 * .port` and `service.backends[0].servers[1].port` are both `backends.servers.port`. Null for a
 * path outside a service (the reference covers services).
 */
export function referencePathOf(fieldPath: string): string | null {
  const m = /^(?:config\.)?(?:services\[\d+\]|service)(?:\.(.*))?$/.exec(fieldPath);
  if (!m) return null;
  return (m[1] ?? '').replace(/\[\d+\]/g, '');
}
