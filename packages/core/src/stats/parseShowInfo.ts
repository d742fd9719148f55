/**
 * `show info` is `Name: value` per line. The sampler needs the worker's PID (the epoch of its
 * counters) and a few unit-wide gauges; everything is kept by name for the snapshot.
 */
export interface ShowInfo {
  pid: number | null;
  uptimeSec: number | null;
  fields: Record<string, string>;
}

export function parseShowInfo(text: string): ShowInfo {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf(':');
    if (at <= 0) continue;
    fields[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  const num = (k: string) => {
    const v = fields[k];
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : null;
  };
  return { pid: num('Pid'), uptimeSec: num('Uptime_sec'), fields };
}
