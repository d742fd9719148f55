import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from './diffLines.js';

/** Applies a unified diff to `before`; used to prove the diff is exact. */
function patch(before: string, diff: string): string {
  const a = before.split('\n');
  const out: string[] = [];
  let pos = 0;
  const lines = diff.split('\n').slice(2, -1);
  for (let i = 0; i < lines.length; i++) {
    const h = /^@@ -(\d+),\d+ \+\d+,\d+ @@$/.exec(lines[i]!);
    if (h) {
      const start = Number(h[1]) - 1;
      while (pos < start) out.push(a[pos++]!);
      continue;
    }
    const l = lines[i]!;
    if (l.startsWith(' ')) {
      out.push(a[pos++]!);
    } else if (l.startsWith('-')) pos++;
    else out.push(l.slice(1));
  }
  while (pos < a.length) out.push(a[pos++]!);
  return out.join('\n');
}

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb', 'a\nb', ['x', 'y'])).toBe('');
  });

  it('shows a changed line with context', () => {
    const before = [
      'global',
      '    maxconn 1',
      'defaults',
      '    mode http',
      'frontend web',
      '    bind *:80',
    ].join('\n');
    const after = before.replace('bind *:80', 'bind *:8080');
    expect(unifiedDiff(before, after, ['generation 1', 'generation 2'], 1)).toBe(
      [
        '--- generation 1',
        '+++ generation 2',
        '@@ -5,2 +5,2 @@',
        ' frontend web',
        '-    bind *:80',
        '+    bind *:8080',
        '',
      ].join('\n'),
    );
  });

  it('reproduces the new text when applied to the old one', () => {
    const text = fc
      .array(fc.constantFrom('a', 'b', 'c', 'd', ''), { maxLength: 30 })
      .map((l) => l.join('\n'));
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: 4 }), (before, after, context) => {
        const diff = unifiedDiff(before, after, ['a', 'b'], context);
        expect(diff === '' ? before : patch(before, diff)).toBe(after);
      }),
      { numRuns: 2000 },
    );
  });
});
