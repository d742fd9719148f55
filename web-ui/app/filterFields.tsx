import type { ReactNode } from 'react';

/** The look of the filter bars (Logs, Audit): a small grey label over a compact field. */
const FIELD =
  'rounded border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-700 dark:bg-slate-900';

function Labelled({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="flex flex-col">
      <span className="mb-1 text-xs text-slate-500 dark:text-slate-400">{label}</span>
      {children}
    </label>
  );
}

export function FilterInput(p: {
  name: string;
  label: string;
  width: string;
  placeholder?: string;
}) {
  return (
    <Labelled label={p.label}>
      <input
        name={p.name}
        placeholder={p.placeholder}
        autoComplete="off"
        className={`${p.width} ${FIELD}`}
      />
    </Labelled>
  );
}

export function FilterSelect(p: {
  name: string;
  label: string;
  options: readonly { value: string | number; label: string }[];
  defaultValue: string | number;
}) {
  return (
    <Labelled label={p.label}>
      <select name={p.name} defaultValue={p.defaultValue} className={FIELD}>
        {p.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Labelled>
  );
}
