/**
 * A unified diff of two texts (Myers' O(ND) algorithm), for `tandemctl diff` and the console's
 * "what will change" preview of haproxy.cfg. Pure; lines are compared exactly.
 */
export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
}

function editScript(a: readonly string[], b: readonly string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)
          ? v[offset + k + 1]!
          : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, d, offset);
    }
  }
  return [];
}

function backtrack(
  trace: Int32Array[],
  a: readonly string[],
  b: readonly string[],
  dEnd: number,
  offset: number,
): DiffLine[] {
  const out: DiffLine[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = dEnd; d > 0; d--) {
    const v = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = v[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      out.push({ op: ' ', text: a[--x]! });
      y--;
    }
    if (x === prevX) out.push({ op: '+', text: b[--y]! });
    else out.push({ op: '-', text: a[--x]! });
  }
  while (x > 0 && y > 0) {
    out.push({ op: ' ', text: a[--x]! });
    y--;
  }
  return out.reverse();
}

/** Unified diff text with `context` lines around each change; '' when the texts are equal. */
export function unifiedDiff(
  before: string,
  after: string,
  labels: [string, string],
  context = 3,
): string {
  const a = before.split('\n');
  const b = after.split('\n');
  const script = editScript(a, b);
  if (script.every((l) => l.op === ' ')) return '';
  const out = [`--- ${labels[0]}`, `+++ ${labels[1]}`];
  let i = 0;
  let aLine = 1;
  let bLine = 1;
  while (i < script.length) {
    if (script[i]!.op === ' ') {
      i++;
      aLine++;
      bLine++;
      continue;
    }
    // Start a hunk `context` lines before this change; extend while changes are close together.
    const start = Math.max(0, i - context);
    let end = i;
    let lastChange = i;
    while (end < script.length && end - lastChange <= 2 * context) {
      if (script[end]!.op !== ' ') lastChange = end;
      end++;
    }
    end = Math.min(script.length, lastChange + context + 1);
    const hunk = script.slice(start, end);
    const aStart = aLine - (i - start);
    const bStart = bLine - (i - start);
    const aCount = hunk.filter((l) => l.op !== '+').length;
    const bCount = hunk.filter((l) => l.op !== '-').length;
    out.push(
      `@@ -${aStart},${aCount} +${bStart},${bCount} @@`,
      ...hunk.map((l) => `${l.op}${l.text}`),
    );
    for (let j = i; j < end; j++) {
      if (script[j]!.op !== '+') aLine++;
      if (script[j]!.op !== '-') bLine++;
    }
    i = end;
  }
  return `${out.join('\n')}\n`;
}
