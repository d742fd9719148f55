// Sums the vitest JSON results of every package into the one closing line CI reads.
import { existsSync, readFileSync } from 'node:fs';

const packages = ['packages/core', 'agent', 'web-ui', 'tests'];
let passed = 0;
let failed = 0;
let skipped = 0;
let missing = [];
for (const pkg of packages) {
  const file = `${pkg}/test-results/vitest.json`;
  if (!existsSync(file)) {
    missing.push(pkg);
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
}
if (missing.length > 0) console.log(`no test results from: ${missing.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || missing.length > 0 ? 1 : 0);
