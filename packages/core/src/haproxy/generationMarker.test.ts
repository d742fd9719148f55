import { describe, expect, it } from 'vitest';
import { generationDescription, generationOfDescription } from './generationMarker.js';

describe('generation marker', () => {
  it('reads back what it writes', () => {
    expect(generationOfDescription(generationDescription(42))).toBe(42);
  });
  it.each([undefined, '', 'generation', 'generation x', 'my generation 3'])(
    'names no generation in %j',
    (d) => {
      expect(generationOfDescription(d)).toBeNull();
    },
  );
});
