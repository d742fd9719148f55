import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    include: ['src/**/*.test.ts'],
    // The property tests (10,000 fuzz cases, thousands of quoted words) are CPU-bound and share
    // two cores with the other packages' suites under turbo: a limit on time would test the
    // machine's load, not the code (they take 1-5 s; one hit 5.05 s in a loaded CI run).
    testTimeout: 60_000,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.test.ts', 'src/**/test*.ts', 'src/index.ts'],
      reporter: ['text-summary', 'text'],
      thresholds: { lines: 90, statements: 90 },
    },
  },
});
