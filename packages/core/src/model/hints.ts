import type { z } from 'zod';

/**
 * UI hints carried on the schema itself, so the console's forms, the CLI's help and the docs all
 * read the same label, help text, unit and default from one place.
 */
export interface UiHint {
  label: string;
  help?: string;
  unit?: 'ms' | 'duration' | 'connections' | 'entries' | 'servers' | 'requests' | 'bytes';
  placeholder?: string;
  advanced?: boolean;
  /** The value is the name of something the unit stores: the form offers those to pick from. */
  choices?: 'certificates';
}

export function hint<T extends z.ZodType>(schema: T, ui: UiHint): T {
  // JSON Schema (input side) leaves out the default of a field that parses its input (a
  // duration typed as `5s`); the forms and docs need it, so it travels with the hint.
  const def = (schema as { def?: { type?: string; defaultValue?: unknown } }).def;
  const dflt = def?.type === 'default' ? { 'x-input-default': def.defaultValue } : {};
  return schema.meta({ ui, ...dflt }) as T;
}

/**
 * Puts back the defaults that `z.toJSONSchema(..., { io: 'input' })` leaves out of fields that
 * parse their input (durations), from where hint() kept them. Returns the same object, edited.
 */
export function withInputDefaults<T>(jsonSchema: T): T {
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if ('x-input-default' in o) {
      o.default ??= o['x-input-default'];
      delete o['x-input-default'];
    }
    Object.values(o).forEach(walk);
  };
  walk(jsonSchema);
  return jsonSchema;
}
