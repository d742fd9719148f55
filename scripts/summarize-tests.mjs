// Sums the vitest JSON results of every package into the one closing line CI reads.
import { summarize } from './testSummary.mjs';

const packages = ['packages/core', 'agent', 'web-ui', 'tests', 'image-build'];
const s = summarize(packages.map((p) => `${p}/test-results/vitest.json`));
for (const b of s.broken) console.log(`failed outside a test: ${b}`);
if (s.missing.length > 0) console.log(`no test results from: ${s.missing.join(', ')}`);
console.log(`tests: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`);
process.exit(s.failed > 0 || s.missing.length > 0 ? 1 : 0);
