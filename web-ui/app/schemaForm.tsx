'use client';
import type { FieldError } from '../lib/api';

/** The parts of a template's JSON Schema (from describeTemplate) the form understands. */
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
  ui?: { label?: string; help?: string; placeholder?: string; unit?: string };
}

type Value = Record<string, unknown>;

const input =
  'mt-1 block w-full rounded border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-800';

/** The default a new form starts from: each property's default, one empty row for lists. */
export function initialValue(schema: JsonSchema): Value {
  const out: Value = {};
  for (const [k, s] of Object.entries(schema.properties ?? {})) {
    if (s.default !== undefined) out[k] = s.default;
    else if (
      s.type === 'array' &&
      s.items?.type === 'object' &&
      (schema.required ?? []).includes(k)
    )
      out[k] = [initialValue(s.items)];
  }
  return out;
}

/** Drops empty optional fields and turns number inputs into numbers, so the agent validates what the user meant. */
export function cleanValue(schema: JsonSchema, v: Value): Value {
  const out: Value = {};
  for (const [k, s] of Object.entries(schema.properties ?? {})) {
    const x = v[k];
    if (x === undefined || x === '') continue;
    if (s.type === 'array' && s.items?.type === 'object' && Array.isArray(x))
      out[k] = x.map((row) => cleanValue(s.items ?? {}, row as Value));
    else if ((s.type === 'integer' || s.type === 'number') && typeof x === 'string')
      out[k] = Number(x);
    else out[k] = x;
  }
  return out;
}

/**
 * A form generated from a template's parameter schema: labels, help and placeholders from the
 * schema's UI hints, defaults filled in, lists of objects as rows, and the agent's field errors
 * (`params.servers[0].port`) shown next to the field they name.
 */
export function SchemaForm(p: {
  schema: JsonSchema;
  value: Value;
  onChange: (v: Value) => void;
  errors: FieldError[];
  prefix?: string;
}) {
  const prefix = p.prefix ?? '';
  const errorFor = (path: string) =>
    p.errors.find((e) => e.path === `params.${path}` || e.path === path)?.message;
  return (
    <div className="space-y-3">
      {Object.entries(p.schema.properties ?? {}).map(([key, s]) => {
        const path = `${prefix}${key}`;
        const label = s.ui?.label ?? key;
        const required = (p.schema.required ?? []).includes(key);
        const set = (x: unknown) => p.onChange({ ...p.value, [key]: x });
        const error = errorFor(path);
        if (s.type === 'array' && s.items?.type === 'object') {
          const rows = (p.value[key] as Value[] | undefined) ?? [];
          return (
            <fieldset
              key={key}
              className="rounded border border-slate-200 p-3 dark:border-slate-800"
            >
              <legend className="px-1 text-sm font-medium">{label}</legend>
              {rows.map((row, i) => (
                <div key={i} className="mb-2 flex items-start gap-2">
                  <div className="flex-1">
                    <SchemaForm
                      schema={s.items ?? {}}
                      value={row}
                      errors={p.errors}
                      prefix={`${path}[${i}].`}
                      onChange={(r) => set(rows.map((x, j) => (j === i ? r : x)))}
                    />
                  </div>
                  <button
                    type="button"
                    aria-label={`Remove ${label} ${i + 1}`}
                    onClick={() => set(rows.filter((_, j) => j !== i))}
                    className="mt-6 rounded border border-slate-300 px-2 py-1 text-sm dark:border-slate-700"
                  >
                    Remove
                  </button>
                </div>
              ))}
              <button
                type="button"
                onClick={() => set([...rows, initialValue(s.items ?? {})])}
                className="rounded border border-slate-300 px-2 py-1 text-sm dark:border-slate-700"
              >
                Add
              </button>
              {error && <p className="mt-1 text-sm text-red-600 dark:text-red-400">{error}</p>}
            </fieldset>
          );
        }
        return (
          <label key={key} className="block text-sm">
            <span className="font-medium">
              {label}
              {required ? '' : ' (optional)'}
            </span>
            {s.type === 'boolean' ? (
              <input
                type="checkbox"
                name={path}
                className="ml-2"
                checked={p.value[key] === true}
                onChange={(e) => set(e.target.checked)}
              />
            ) : s.enum ? (
              <select
                name={path}
                className={input}
                value={String(p.value[key] ?? '')}
                onChange={(e) => set(e.target.value)}
              >
                {s.enum.map((o) => (
                  <option key={String(o)}>{String(o)}</option>
                ))}
              </select>
            ) : (
              <input
                name={path}
                type={s.type === 'integer' || s.type === 'number' ? 'number' : 'text'}
                placeholder={s.ui?.placeholder}
                aria-invalid={error ? true : undefined}
                className={input}
                value={p.value[key] === undefined ? '' : String(p.value[key])}
                onChange={(e) => set(e.target.value)}
              />
            )}
            {s.ui?.help && (
              <span className="mt-0.5 block text-xs text-slate-500 dark:text-slate-400">
                {s.ui.help}
              </span>
            )}
            {error && <span className="mt-0.5 block text-red-600 dark:text-red-400">{error}</span>}
          </label>
        );
      })}
    </div>
  );
}
