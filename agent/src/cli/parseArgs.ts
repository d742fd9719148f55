/** A small argv parser: positionals, `--flag value`, `--flag=value`, repeatable `--set`. */
export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string[]>;
}

const BOOLEAN = new Set([
  'json',
  'help',
  'config',
  'follow',
  'errors',
  'dry-run',
  'password-stdin',
]);

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '-m') {
      flags.set('message', [...(flags.get('message') ?? []), argv[++i] ?? '']);
    } else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      const value = eq > 0 ? a.slice(eq + 1) : BOOLEAN.has(name) ? 'true' : argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      flags.set(name, [...(flags.get(name) ?? []), value]);
    } else positionals.push(a);
  }
  return { positionals, flags };
}

export class UsageError extends Error {}

/** The last value given for a flag. */
export function flag(a: ParsedArgs, name: string): string | undefined {
  return a.flags.get(name)?.at(-1);
}

/**
 * `--set key=value`: JSON when the value parses as JSON (numbers, booleans, arrays, objects),
 * a list of endpoints for `host:port,host:port`, otherwise a string. Dotted keys build nesting
 * (`servers.0.port=8080`).
 */
export function parseSetValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    if (/^[^,\s]+:\d{1,5}(,[^,\s]+:\d{1,5})*$/.test(raw) && !raw.includes('::')) {
      return raw.split(',').map((ep) => {
        const i = ep.lastIndexOf(':');
        return { address: ep.slice(0, i), port: Number(ep.slice(i + 1)) };
      });
    }
    return raw;
  }
}

export function applySets(
  target: Record<string, unknown>,
  sets: readonly string[],
): Record<string, unknown> {
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set takes key=value, got "${s}"`);
    const path = s.slice(0, eq).split('.');
    let node: Record<string, unknown> = target;
    path.slice(0, -1).forEach((k, i) => {
      const next = node[k];
      if (typeof next !== 'object' || next === null)
        node[k] = /^\d+$/.test(path[i + 1] ?? '') ? [] : {};
      node = node[k] as Record<string, unknown>;
    });
    node[path[path.length - 1] ?? ''] = parseSetValue(s.slice(eq + 1));
  }
  return target;
}
