/**
 * The values behind a form generated from a template's parameter schema (the JSON Schema that
 * describeTemplate derives from the zod schema that validates them). The form keeps what the
 * user typed; cleanValue turns it into what the agent validates. Pure, so it is unit-tested.
 */
import { formatDuration } from '@tandem/core';

export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  ui?: {
    label?: string;
    help?: string;
    placeholder?: string;
    unit?: string;
    advanced?: boolean;
    /** Names the unit stores (certificates): the form offers them in a list. */
    choices?: 'certificates';
  };
}

export type Value = Record<string, unknown>;

/** A list of objects is edited as rows; a list of strings as one comma-separated input. */
export const isRows = (s: JsonSchema) => s.type === 'array' && s.items?.type === 'object';
export const isWords = (s: JsonSchema) => s.type === 'array' && s.items?.type === 'string';
/** Durations are typed as HAProxy users write them (`500ms`, `30s`, `5m`); the agent parses them. */
export const isDuration = (s: JsonSchema) => s.ui?.unit === 'duration';

/** Where a new form starts: each property's default, nested objects and required lists filled. */
export function initialValue(schema: JsonSchema): Value {
  const out: Value = {};
  const required = schema.required ?? [];
  for (const [k, s] of Object.entries(schema.properties ?? {})) {
    if (s.default !== undefined) out[k] = s.default;
    else if (s.type === 'object' && required.includes(k)) out[k] = initialValue(s);
    else if (isRows(s) && required.includes(k)) out[k] = [initialValue(s.items ?? {})];
  }
  return out;
}

/**
 * Drops empty optional fields, turns number inputs into numbers and comma lists into arrays,
 * so the agent validates what the user meant (and names the field when it is still wrong).
 */
export function cleanValue(schema: JsonSchema, v: Value): Value {
  const out: Value = {};
  for (const [k, s] of Object.entries(schema.properties ?? {})) {
    const x = v[k];
    if (x === undefined || x === '') continue;
    if (isRows(s) && Array.isArray(x))
      out[k] = x.map((row) => cleanValue(s.items ?? {}, row as Value));
    else if (s.type === 'object' && typeof x === 'object' && x !== null && !Array.isArray(x))
      out[k] = cleanValue(s, x as Value);
    else if (isDuration(s) && typeof x === 'string') out[k] = x.trim();
    else if (isWords(s) && typeof x === 'string')
      out[k] = x.split(/[\s,]+/).filter((w) => w !== '');
    else if ((s.type === 'integer' || s.type === 'number') && typeof x === 'string')
      out[k] = Number(x);
    else out[k] = x;
  }
  return out;
}

/**
 * What a text input shows for a value: lists as `a, b`, a duration's milliseconds as `5s`,
 * everything else as typed.
 */
export function displayValue(x: unknown, s: JsonSchema = {}): string {
  if (x === undefined || x === null) return '';
  if (Array.isArray(x)) return x.map(String).join(', ');
  if (isDuration(s) && typeof x === 'number') return formatDuration(x);
  return String(x);
}
