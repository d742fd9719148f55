'use client';
import type { FieldError } from '../lib/api';
import {
  displayValue,
  initialValue,
  isRows,
  isDuration,
  isWords,
  type JsonSchema,
  type Value,
} from '../lib/schemaValue';

const input =
  'mt-1 block w-full rounded border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-800';
const small = 'rounded border border-slate-300 px-2 py-1 text-sm dark:border-slate-700';

interface FormProps {
  schema: JsonSchema;
  value: Value;
  onChange: (v: Value) => void;
  errors: FieldError[];
  prefix?: string;
  /** What the unit stores, for fields hinted `choices` (the certificate store's names). */
  choices?: Partial<Record<'certificates', string[]>>;
}

/**
 * A form generated from a template's parameter schema: labels, help and placeholders from the
 * schema's UI hints, defaults filled in, nested objects as groups, lists of objects as rows,
 * fields hinted `advanced` folded away, and the agent's field errors (`params.servers[0].port`)
 * shown next to the field they name.
 */
export function SchemaForm(p: FormProps) {
  const entries = Object.entries(p.schema.properties ?? {});
  const basic = entries.filter(([, s]) => !s.ui?.advanced);
  const advanced = entries.filter(([, s]) => s.ui?.advanced);
  return (
    <div className="space-y-3">
      {basic.map(([key, s]) => (
        <SchemaField key={key} name={key} field={s} {...p} />
      ))}
      {advanced.length > 0 && (
        <details
          open={advanced.some(([key]) => hasError(p.errors, `${p.prefix ?? ''}${key}`))}
          className="rounded border border-slate-200 p-3 dark:border-slate-800"
        >
          <summary className="cursor-pointer text-sm font-medium">Advanced</summary>
          <div className="mt-3 space-y-3">
            {advanced.map(([key, s]) => (
              <SchemaField key={key} name={key} field={s} {...p} />
            ))}
          </div>
        </details>
      )}
    </div>
  );
}

const errorFor = (errors: FieldError[], path: string) =>
  errors.find((e) => e.path === `params.${path}` || e.path === path)?.message;
const hasError = (errors: FieldError[], path: string) =>
  errors.some((e) => e.path.startsWith(`params.${path}`));

function SchemaField(p: FormProps & { name: string; field: JsonSchema }) {
  const { name: key, field: s } = p;
  const path = `${p.prefix ?? ''}${key}`;
  const label = s.ui?.label ?? key;
  const required = (p.schema.required ?? []).includes(key);
  const set = (x: unknown) => p.onChange({ ...p.value, [key]: x });
  const error = errorFor(p.errors, path);
  const errorText = error && (
    <span className="mt-0.5 block text-sm text-red-600 dark:text-red-400">{error}</span>
  );
  if (s.type === 'object') {
    return (
      <fieldset className="rounded border border-slate-200 p-3 dark:border-slate-800">
        <legend className="px-1 text-sm font-medium">{label}</legend>
        <SchemaForm
          schema={s}
          value={(p.value[key] as Value | undefined) ?? {}}
          errors={p.errors}
          prefix={`${path}.`}
          onChange={set}
          {...(p.choices ? { choices: p.choices } : {})}
        />
        {errorText}
      </fieldset>
    );
  }
  if (isRows(s)) {
    const rows = (p.value[key] as Value[] | undefined) ?? [];
    return (
      <fieldset className="rounded border border-slate-200 p-3 dark:border-slate-800">
        <legend className="px-1 text-sm font-medium">{label}</legend>
        {rows.map((row, i) => (
          <div key={i} className="mb-2 flex flex-wrap items-start gap-2 sm:flex-nowrap">
            <div className="min-w-0 flex-1">
              <SchemaForm
                schema={s.items ?? {}}
                value={row}
                errors={p.errors}
                prefix={`${path}[${i}].`}
                onChange={(r) => set(rows.map((x, j) => (j === i ? r : x)))}
                {...(p.choices ? { choices: p.choices } : {})}
              />
            </div>
            <button
              type="button"
              aria-label={`Remove ${label} ${i + 1}`}
              onClick={() => set(rows.filter((_, j) => j !== i))}
              className={`sm:mt-6 ${small}`}
            >
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          onClick={() => set([...rows, initialValue(s.items ?? {})])}
          className={small}
        >
          Add
        </button>
        {errorText}
      </fieldset>
    );
  }
  return (
    <label className="block text-sm">
      <span className="font-medium">
        {label}
        {/* A field with a default is filled in already: "optional" would only confuse. */}
        {required || s.default !== undefined ? '' : ' (optional)'}
        {s.ui?.unit ? (
          <span className="font-normal text-slate-500">
            {' '}
            ({isDuration(s) ? 'e.g. 500ms, 30s, 5m, 1h' : s.ui.unit})
          </span>
        ) : null}
      </span>
      {s.type === 'boolean' ? (
        <input
          type="checkbox"
          name={path}
          className="ml-2"
          checked={p.value[key] === true}
          onChange={(e) => set(e.target.checked)}
        />
      ) : s.ui?.choices && p.choices?.[s.ui.choices] ? (
        <select
          name={path}
          className={input}
          aria-invalid={error ? true : undefined}
          value={displayValue(p.value[key])}
          onChange={(e) => set(e.target.value)}
        >
          <option value="">
            {p.choices[s.ui.choices]?.length
              ? 'Choose one'
              : 'None stored yet: add one in Settings'}
          </option>
          {p.choices[s.ui.choices]?.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      ) : s.enum ? (
        <select
          name={path}
          className={input}
          value={displayValue(p.value[key])}
          onChange={(e) => set(e.target.value)}
        >
          {s.enum.map((o) => (
            <option key={String(o)}>{String(o)}</option>
          ))}
        </select>
      ) : (
        <input
          name={path}
          type={(s.type === 'integer' || s.type === 'number') && !isDuration(s) ? 'number' : 'text'}
          placeholder={s.ui?.placeholder ?? (isWords(s) ? 'a, b, c' : undefined)}
          aria-invalid={error ? true : undefined}
          className={input}
          value={displayValue(p.value[key], s)}
          onChange={(e) => set(e.target.value)}
        />
      )}
      {s.ui?.help && (
        <span className="mt-0.5 block text-xs text-slate-500 dark:text-slate-400">{s.ui.help}</span>
      )}
      {errorText}
    </label>
  );
}
