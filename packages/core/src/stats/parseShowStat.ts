/**
 * `show stat` (CSV) into rows keyed by the header's column names, so the sampler does not depend
 * on column positions, which change between HAProxy versions (2.6 has 129 columns, 3.0 more).
 */
export type StatType = 'frontend' | 'backend' | 'server' | 'listener';

export interface StatRow {
  proxy: string;
  /** FRONTEND, BACKEND or the server/listener name. */
  name: string;
  type: StatType;
  status: string;
  /** Every numeric column by its HAProxy name (scur, stot, bin, bout, hrsp_5xx, req_tot, ...). */
  values: Record<string, number>;
  /** Textual columns worth keeping (check_status, last_chk, addr, mode). */
  text: Record<string, string>;
}

const TYPES: Record<string, StatType> = {
  '0': 'frontend',
  '1': 'backend',
  '2': 'server',
  '3': 'listener',
};
const TEXT_COLUMNS = new Set([
  'status',
  'check_status',
  'last_chk',
  'last_agt',
  'addr',
  'mode',
  'cookie',
  'agent_status',
  'check_desc',
]);

export function parseShowStat(csv: string): StatRow[] {
  const lines = csv.split('\n');
  const header = lines[0]?.startsWith('# ') ? lines[0].slice(2).split(',') : null;
  if (!header) return [];
  const rows: StatRow[] = [];
  for (const line of lines.slice(1)) {
    if (line.trim() === '') continue;
    const cells = line.split(',');
    const values: Record<string, number> = {};
    const text: Record<string, string> = {};
    header.forEach((col, i) => {
      const cell = cells[i] ?? '';
      if (cell === '' || col === '') return;
      if (TEXT_COLUMNS.has(col)) text[col] = cell;
      else if (/^-?\d+$/.test(cell)) values[col] = Number(cell);
    });
    rows.push({
      proxy: cells[0] ?? '',
      name: cells[1] ?? '',
      type: TYPES[cells[header.indexOf('type')] ?? ''] ?? 'listener',
      status: text.status ?? '',
      values,
      text,
    });
  }
  return rows;
}
