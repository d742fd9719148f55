import { describe, expect, it } from 'vitest';
import { newerRecords, supersedes, type CertificateRecord } from './certificateSync.js';

const r = (name: string, at: number, unit: string, sha = 'a'): CertificateRecord => ({
  name,
  at,
  unit,
  sha256: sha === 'removed' ? null : sha.repeat(64),
});

describe('certificate records', () => {
  it('take the later change; the same instant goes to the greater unit name on both sides', () => {
    expect(supersedes(r('x', 2, 'a'), r('x', 1, 'b'))).toBe(true);
    expect(supersedes(r('x', 1, 'b'), r('x', 2, 'a'))).toBe(false);
    expect(supersedes(r('x', 1, 'b'), r('x', 1, 'a'))).toBe(true);
    expect(supersedes(r('x', 1, 'a'), r('x', 1, 'b'))).toBe(false);
    expect(supersedes(r('x', 1, 'a'), r('x', 1, 'a'))).toBe(false);
    expect(supersedes(r('x', 0, 'a'), undefined)).toBe(true);
  });

  it('answer what the peer has newer, removals included, and nothing when in step', () => {
    const mine = [r('kept', 5, 'a'), r('old', 1, 'a'), r('gone', 1, 'a')];
    const theirs = [r('kept', 5, 'a'), r('old', 3, 'b', 'b'), r('gone', 2, 'b', 'removed')];
    expect(newerRecords(theirs, mine).map((x) => x.name)).toEqual(['old', 'gone']);
    expect(newerRecords(mine, theirs)).toEqual([]);
    expect(newerRecords([r('new', 1, 'b')], [])).toHaveLength(1);
  });
});
