import { describe, expect, it } from 'vitest';
import { programVersion } from './programVersion.js';

describe('program versions', () => {
  it('reads a version from what a program prints', async () => {
    expect(await programVersion(['node'])).toBe(process.versions.node);
    expect(
      await programVersion(['sh', '-c', 'echo "Keepalived v2.2.7 (01/16,2022)" >&2', '--']),
    ).toBe('2.2.7');
  });

  it('answers null for a program that is not there or says no version', async () => {
    expect(await programVersion(['/nonexistent/keepalived'])).toBeNull();
    expect(await programVersion(['sh', '-c', 'echo no version here', '--'])).toBeNull();
    expect(await programVersion([])).toBeNull();
  });
});
