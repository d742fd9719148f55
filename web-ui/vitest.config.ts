import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    include: ['e2e/**/*.test.ts', 'server/**/*.test.ts', 'lib/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    // expect.poll waits for what the page says; its 1 s default is a guess a busy 2-core machine
    // misses (the first password-strength check loads its dictionaries).
    expect: { poll: { timeout: 30_000 } },
  },
});
