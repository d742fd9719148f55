#!/usr/bin/env node
/* global process, console */
// Self time per function of V8 CPU profiles (scripts/profile-agent.mjs), busiest first, and the
// share of each part: SQLite (better-sqlite3 and the statements run from the log store), the log
// parser, GC, idle. Usage: node scripts/profile-summary.mjs FILE.cpuprofile... [--top N]
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args[topAt + 1]) : 15;
const files = args.filter((a, i) => a.endsWith('.cpuprofile') && i !== topAt + 1);
const part = (key) =>
  /^\(idle\)/.test(key)
    ? 'idle'
    : /^\(garbage collector\)/.test(key)
      ? 'GC'
      : /better-sqlite3|store\/logStore/.test(key)
        ? 'SQLite (rows, indexes, text index)'
        : /parseHaproxyLog|^RegExp:/.test(key)
          ? 'parsing'
          : 'other';
for (const file of files) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  p.samples.forEach((id, i) => {
    const cf = nodes.get(id).callFrame;
    const where = (cf.url || '').replace(/^.*\/(agent|packages|node_modules)\//, '$1/');
    const key = `${cf.functionName || '(anonymous)'}${where ? ` ${where}:${cf.lineNumber + 1}` : ''}`;
    const d = p.timeDeltas[i] || 0;
    self.set(key, (self.get(key) || 0) + d);
    total += d;
  });
  const pct = (t) => `${((t / total) * 100).toFixed(1).padStart(5)}%`;
  console.log(`\n${basename(file)}: ${(total / 1e6).toFixed(1)} s sampled`);
  for (const [k, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${pct(t)}  ${k}`);
  const parts = new Map();
  for (const [k, t] of self) parts.set(part(k), (parts.get(part(k)) || 0) + t);
  console.log(
    [...parts]
      .sort((a, b) => b[1] - a[1])
      .map(([k, t]) => `${k} ${pct(t).trim()}`)
      .join(', '),
  );
}
