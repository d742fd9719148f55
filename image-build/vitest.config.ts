import { defineConfig } from 'vitest/config';

/** The image's build and boot test: run by scripts/test.sh after every package's tests, alone. */
export default defineConfig({
  test: {
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    include: ['*.test.ts'],
    testTimeout: 40 * 60_000,
    hookTimeout: 60_000,
  },
});
